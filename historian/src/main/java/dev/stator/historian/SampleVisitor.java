package dev.stator.historian;

import dev.stator.driver.api.TagValue;

/**
 * Receives the samples of a range one at a time, in time order, so that a long range is never held in memory.
 * Called on the thread that started the query.
 *
 * @param <X> the checked exception the visitor may throw (an {@link java.io.IOException} when it writes a file);
 *            it reaches the caller of the query unchanged and stops the query
 */
@FunctionalInterface
public interface SampleVisitor<X extends Exception> {

    void visit(TagValue sample) throws X;
}
