package dev.stator.driver.api;

import java.nio.file.Path;
import java.time.Clock;

/** What the workstation gives a driver: the clock to stamp readings, secrets and the data folder. */
public interface DriverContext {

    /** The clock for source timestamps where the protocol gives none (UTC). */
    Clock clock();

    /** Credentials kept outside the project, in the data folder's secrets file. */
    Secrets secrets();

    /** The workstation's data folder, for a driver's own files (certificates, for one). */
    Path dataDirectory();
}
