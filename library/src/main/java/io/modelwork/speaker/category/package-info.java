/**
 * The {@code speaker} category (registered in {@code META-INF/services/io.modelwork.spi.Category}): attach (audio +
 * RTTM/UEM/list, profile, validation), prepare (VAD/windows), split by session, build, fit (back end and clustering
 * threshold minimising the training DER), evaluate (DER/JER, tables, timeline), tune, calibrate (collar policy), export.
 *
 * <p>Imports {@code core}, {@code report}, {@code spi}, {@code shared}, {@code audio} and the other {@code speaker}
 * packages; never another category or the session.
 */
package io.modelwork.speaker.category;
