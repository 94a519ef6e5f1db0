package dev.stator.historian;

/**
 * Receives journal entries one at a time, in time order, so that a long range is never held in memory. Called on
 * the thread that started the query.
 *
 * @param <X> the checked exception the visitor may throw; it reaches the caller unchanged and stops the query
 */
@FunctionalInterface
public interface JournalVisitor<X extends Exception> {

    void visit(JournalEntry entry) throws X;
}
