/**
 * The {@code speaker} category (registered in {@code META-INF/services/io.modelwork.spi.Category}). Diarization:
 * attach (audio + RTTM/UEM/list, profile, validation), prepare (VAD/windows), split by session, build, fit (back end
 * and clustering threshold minimising the training DER), evaluate (DER/JER, tables, timeline, overlap:
 * {@code SpeakerOverlap}), tune through the shared tuner ({@code SpeakerTune}), backtest ({@code SpeakerBacktest}),
 * calibrate (collar policy), export. Verification ({@code SpeakerVerify}, {@code SpeakerUtterances}): utterances
 * labelled by speaker, split by speaker, back end by cross-validation, EER/minDCF/DET, threshold for a target FAR.
 *
 * <p>Imports {@code core}, {@code report}, {@code spi}, {@code shared}, {@code audio} and the other {@code speaker}
 * packages; never another category or the session.
 */
package io.modelwork.speaker.category;
