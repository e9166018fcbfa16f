package org.carotspark.text;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * CLIP's text cleanup before BPE: {@code whitespace_clean(basic_clean(text)).lower()}.
 *
 * <p>basic_clean is ftfy.fix_text, then Python's html.unescape twice, then strip. ftfy has no Java
 * port; this applies its final step, Unicode NFC, and none of the repairs before it. Texts that differ
 * from real CLIP are therefore those ftfy would change: mojibake ("cafÃ©" stays as is instead of
 * "café"), curly quotes ("don’t" is not turned into "don't", so the apostrophe rules of the
 * pre-tokeniser do not apply), Latin ligatures ("ﬁ"), full-width characters ("ＡＢＣ"), terminal
 * escape codes and other control characters, which ftfy removes or rewrites. Plain text, accented
 * letters, non-Latin scripts and emoji come out the same.
 */
public final class ClipTextCleaner {

    /** Python's regex {@code \s} on str: the Unicode White_Space property. */
    private static final Pattern WHITESPACE_RUN = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    private ClipTextCleaner() {
    }

    public static String clean(String text) {
        String s = Normalizer.normalize(text, Normalizer.Form.NFC);
        s = pythonStrip(HtmlUnescape.unescape(HtmlUnescape.unescape(s)));
        s = pythonStrip(WHITESPACE_RUN.matcher(s).replaceAll(" "));
        return s.toLowerCase(Locale.ROOT);
    }

    /** Python's str.strip(): removes what str.isspace() accepts, which includes U+001C..U+001F. */
    static String pythonStrip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isPythonSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isPythonSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    private static boolean isPythonSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }
}
