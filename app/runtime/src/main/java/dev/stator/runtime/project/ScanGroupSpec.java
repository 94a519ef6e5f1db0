package dev.stator.runtime.project;

import java.time.Duration;

/** A named scan rate that tags belong to ({@code fast: 500ms}). */
public record ScanGroupSpec(String name, Duration rate) {
}
