package io.modelwork.data;

import io.modelwork.core.ModelworkException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The text check before a file is parsed: every byte must decode in the declared encoding (UTF-8 unless
 * {@code encoding=} says otherwise) and no NUL byte may occur (a binary file). Without it the CSV reader silently turns
 * a Latin-1 {@code é} into U+FFFD and reads binary garbage as odd-looking rows. The error names the line and the
 * byte. Hand-written because the JDK's decoder reports a malformed byte but not its line; this is one streaming pass
 * that counts the lines decoded so far.
 */
final class TextCheck {
    private TextCheck() {}

    static void check(Path p, Charset cs) {
        CharsetDecoder dec = cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        CharBuffer out = CharBuffer.allocate(1 << 16);
        long line = 1;
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            boolean eof = false;
            while (!eof) {
                eof = ch.read(in) < 0;
                in.flip();
                while (true) {
                    CoderResult r = dec.decode(in, out, eof);
                    out.flip();
                    while (out.hasRemaining()) {
                        char c = out.get();
                        if (c == '\n') line++;
                        else if (c == 0)
                            throw new ModelworkException("The file holds binary data (a NUL byte) at line " + line
                                    + ", not text", p + ":" + line,
                                    "point path= at a text table (CSV/TSV/ARFF/libsvm); if the file is compressed, unpack it first");
                    }
                    out.clear();
                    if (r.isError()) {
                        int bad = in.get(in.position()) & 0xff;
                        boolean utf8 = cs.equals(StandardCharsets.UTF_8);
                        throw new ModelworkException(String.format("The file is not valid %s text: byte 0x%02X at line %d%s",
                                cs.name(), bad, line, utf8 && bad >= 0xA0 ? " (a Latin-1/Windows-1252 character such as 'é'?)" : ""),
                                p + ":" + line, utf8 ? "save the file as UTF-8, or attach with encoding=latin-1 (or "
                                + "encoding=windows-1252) if that is its encoding" : "give the file's real encoding with encoding=");
                    }
                    if (r.isUnderflow()) break;
                }
                in.compact();
            }
            if (eof) {
                dec.flush(out);
            }
        } catch (IOException e) {
            throw new ModelworkException("Cannot read " + p + ": " + e.getMessage(), p.toString(), "check the file");
        }
    }
}
