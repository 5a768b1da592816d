/**
 * The model registry: named, versioned model bundles stored in an embedded SQLite database
 * ({@code <home>/registry.db}, home defaulting to {@code ~/.modelwork}) with content-addressed artifact storage
 * ({@code <home>/artifacts/sha256/<2 hex>/<62 hex>}).
 *
 * <p>Each registered version has a name, an auto-incremented version number, a {@link io.modelwork.registry.Stage}
 * ({@code none, staging, canary, production, archived}), optional aliases such as {@code champion} and
 * {@code challenger}, tags and a manifest of its files. Versions are promoted between stages and rolled back; moving
 * a version into production archives the one it replaces. Every change is written, in the same transaction, to an
 * append-only audit table whose rows are hash-chained; {@link io.modelwork.registry.ModelRegistry#verify()} (and
 * {@code bin/modelwork registry verify}, see {@link io.modelwork.registry.RegistryCli}) detects a tampered row and a
 * damaged or missing artifact blob, an unreferenced blob or a leftover temporary file, and (through the head kept in
 * {@code <home>/audit.head}) audit rows removed from the end. A used home whose database was emptied or deleted is
 * refused at open.
 *
 * <p>Concurrent registrations from several processes serialise on the database write lock ({@code BEGIN IMMEDIATE}
 * with a busy timeout) and receive distinct, contiguous versions. A locked or corrupt database is reported as a
 * {@link io.modelwork.core.ModelworkException} saying what, where and how to fix, and the registry never changes a
 * file it cannot read. Depends only on {@code io.modelwork.core}, JDBC and sqlite-jdbc.
 */
package io.modelwork.registry;
