package dev.stator.runtime.project;

import java.util.List;

/**
 * A project that cannot be loaded or started, with every problem found, each naming the file and line and the thing
 * at fault: {@code project.yaml line 12: tag 'TT-101': unknown device 'plc9'}. The message is the first problem.
 */
public class ProjectException extends Exception {

    private final List<String> problems;

    public ProjectException(List<String> problems) {
        super(problems.isEmpty() ? "invalid project" : problems.get(0)
                + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""));
        this.problems = List.copyOf(problems);
    }

    public ProjectException(String problem) {
        this(List.of(problem));
    }

    /** Every problem, one line each, in file order. */
    public List<String> problems() {
        return problems;
    }
}
