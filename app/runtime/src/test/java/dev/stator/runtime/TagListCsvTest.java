package dev.stator.runtime;

import dev.stator.runtime.project.Project;
import dev.stator.runtime.project.ProjectException;
import dev.stator.runtime.project.ProjectLoader;
import dev.stator.runtime.project.TagListCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TagListCsvTest {

    @TempDir
    Path dir;

    private Path project(String tags) throws Exception {
        Files.writeString(dir.resolve("project.yaml"), ProjectLoaderTest.minimal(tags)
                + "# a comment the engineer wrote stays\n");
        return dir;
    }

    @Test
    void conventionalAddressesAreConvertedAndTheTagsAppendedToTheList() throws Exception {
        project("""
                tags:
                  - name: LT-101
                    device: plc
                    address: ir:0:float32
                """);
        Path csv = dir.resolve("pumps.csv");
        Files.writeString(csv, """
                Name,Description,Address,Type,Units,Low,High,Writable
                FT-201,"Return flow, line 2",30031,float32,m³/h,0,200,false
                SP-201,Setpoint,40011,int16,%,0,100,true
                XV-201,Valve open,00011,,,,,
                """);
        assertThat(TagListCsv.importInto(dir, csv, ProjectLoaderTest.DRIVERS, "plc")).isEqualTo(3);
        Project p = new ProjectLoader(ProjectLoaderTest.DRIVERS).load(dir);
        assertThat(p.tags()).extracting(t -> t.name() + " " + t.address().format()).containsExactly(
                "LT-101 ir:0:float32", "FT-201 ir:30:float32", "SP-201 hr:10:int16", "XV-201 coil:10");
        assertThat(p.tag("FT-201").definition().description()).isEqualTo("Return flow, line 2");
        assertThat(p.tag("FT-201").definition().range().high()).isEqualTo(200.0);
        assertThat(p.tag("SP-201").definition().writable()).isTrue();
        assertThat(Files.readString(dir.resolve("project.yaml"))).contains("# a comment the engineer wrote stays");
    }

    @Test
    void everyBadRowIsReportedWithItsLineAndNothingIsWritten() throws Exception {
        project("tags:\n  - name: LT-101\n    device: plc\n    address: ir:0:float32\n");
        String before = Files.readString(dir.resolve("project.yaml"));
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, """
                name,device,address,type
                LT-101,plc,30002,int16
                FT-1,plc9,30003,float32
                FT-2,plc,50001,uint16
                FT-3,plc,30004,real
                FT-4,plc,30005,float32
                """);
        ProjectException e = org.junit.jupiter.api.Assertions.assertThrows(ProjectException.class,
                () -> TagListCsv.importInto(dir, csv, ProjectLoaderTest.DRIVERS, null));
        assertThat(e.problems()).containsExactly(
                csv + " line 2: tag 'LT-101': already defined (in the project or earlier in this file)",
                csv + " line 3: tag 'FT-1': unknown device 'plc9'",
                csv + " line 4: tag 'FT-2': '50001': a conventional address starts with 0 (coil), 1 (discrete "
                        + "input), 3 (input register) or 4 (holding register)",
                csv + " line 5: tag 'FT-3': unknown data type 'real' (known: bool, int16, uint16, int32, uint32, "
                        + "int64, float32, float64, string)");
        assertThat(Files.readString(dir.resolve("project.yaml"))).isEqualTo(before);
    }

    @Test
    void anExportImportsBackIntoAProjectWithoutTags() throws Exception {
        Project demo = new ProjectLoader(ProjectLoaderTest.DRIVERS).load(ProjectLoaderTest.DEMO);
        StringBuilder csv = new StringBuilder();
        TagListCsv.export(demo, csv);
        assertThat(csv.toString()).startsWith("name,description,device,address,type,length,units,low,high,"
                + "decimals,scan-group,writable\nLT-101,Wet well level,station-plc,ir:0:float32,,,m,0,4,2,fast,false\n");

        String yaml = Files.readString(ProjectLoaderTest.DEMO.resolve("project.yaml"));
        Files.writeString(dir.resolve("project.yaml"), yaml.substring(0, yaml.indexOf("\ntags:")) + "\n");
        Path file = dir.resolve("tags.csv");
        Files.writeString(file, csv.toString());
        // Scaling is not a CSV column: the scaled tag comes back unscaled, every other property the same.
        int added = TagListCsv.importInto(dir, file, ProjectLoaderTest.DRIVERS, null);
        assertThat(added).isEqualTo(demo.tags().size());
        Project back = new ProjectLoader(ProjectLoaderTest.DRIVERS).load(dir);
        assertThat(back.tags()).extracting(t -> t.name() + " " + t.address().format() + " " + t.scanGroup() + " "
                + t.definition().units() + " " + t.definition().range() + " " + t.definition().writable())
                .isEqualTo(demo.tags().stream().map(t -> t.name() + " " + t.address().format() + " "
                        + t.scanGroup() + " " + t.definition().units() + " " + t.definition().range() + " "
                        + t.definition().writable()).toList());
    }

    @Test
    void anUnknownColumnIsAnError() throws Exception {
        project("");
        Path csv = dir.resolve("x.csv");
        Files.writeString(csv, "name,adress\nA,hr:0\n");
        assertThatThrownBy(() -> TagListCsv.importInto(dir, csv, ProjectLoaderTest.DRIVERS, "plc"))
                .hasMessageContaining("line 1: unknown column 'adress'");
    }
}
