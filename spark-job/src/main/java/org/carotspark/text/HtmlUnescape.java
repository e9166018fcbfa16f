package org.carotspark.text;

import org.apache.commons.text.translate.EntityArrays;

import java.nio.charset.Charset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python's {@code html.unescape}, which CLIP's text cleanup applies twice: numeric references
 * follow the HTML5 rules exactly (Windows-1252 for 0x80–0x9F, U+FFFD for 0, surrogates and values
 * past U+10FFFF, nothing for other invalid code points; the semicolon is optional); named
 * references cover the HTML 4 entities plus {@code &apos;}, and the legacy names HTML5 also accepts
 * without a semicolon ({@code &amp}, {@code &nbsp}, ...). HTML5-only names (such as {@code &NewLine;})
 * are left as they are, where Python would decode them.
 */
final class HtmlUnescape {

    private static final Pattern REFERENCE =
            Pattern.compile("&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\\t\\n\\f <&#;]{1,32};?)");
    /** Name (with its ';' when it needs one) → replacement. */
    private static final Map<String, String> NAMED = new HashMap<>();
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    static {
        Set<String> legacy = new HashSet<>();
        addAll(EntityArrays.BASIC_UNESCAPE, legacy);
        addAll(EntityArrays.ISO8859_1_UNESCAPE, legacy);
        addAll(EntityArrays.HTML40_EXTENDED_UNESCAPE, null);
        addAll(EntityArrays.APOS_UNESCAPE, null);
        // HTML5's upper-case spellings of five legacy names.
        for (String[] alias : new String[][]{{"AMP", "&"}, {"LT", "<"}, {"GT", ">"}, {"QUOT", "\""},
                {"COPY", "\u00a9"}, {"REG", "\u00ae"}}) {
            NAMED.put(alias[0] + ";", alias[1]);
            legacy.add(alias[0]);
        }
        for (String name : legacy) {
            NAMED.put(name, NAMED.get(name + ";"));
        }
    }

    private HtmlUnescape() {
    }

    private static void addAll(Map<CharSequence, CharSequence> entities, Set<String> legacy) {
        for (Map.Entry<CharSequence, CharSequence> e : entities.entrySet()) {
            String ref = e.getKey().toString(); // "&name;"
            String name = ref.substring(1, ref.length() - 1);
            NAMED.put(name + ";", e.getValue().toString());
            if (legacy != null) {
                legacy.add(name);
            }
        }
    }

    static String unescape(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        Matcher m = REFERENCE.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(replace(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String replace(String ref) {
        if (ref.charAt(0) == '#') {
            boolean hex = ref.length() > 1 && (ref.charAt(1) == 'x' || ref.charAt(1) == 'X');
            String digits = ref.substring(hex ? 2 : 1);
            if (digits.endsWith(";")) {
                digits = digits.substring(0, digits.length() - 1);
            }
            return numeric(digits, hex ? 16 : 10);
        }
        String exact = NAMED.get(ref);
        if (exact != null) {
            return exact;
        }
        // The longest prefix that is a name valid without ';' ("&ampx" → "&x").
        for (int end = ref.length() - 1; end > 1; end--) {
            String v = NAMED.get(ref.substring(0, end));
            if (v != null) {
                return v + ref.substring(end);
            }
        }
        return "&" + ref;
    }

    private static String numeric(String digits, int radix) {
        String trimmed = digits.replaceFirst("^0+(?=.)", "");
        if (trimmed.length() > 8) {
            return "\ufffd"; // past U+10FFFF whatever the digits
        }
        long cp = Long.parseLong(trimmed, radix);
        if (cp == 0) {
            return "\ufffd";
        }
        if (cp == 0x0d) {
            return "\r";
        }
        if (cp >= 0x80 && cp <= 0x9f) {
            String decoded = new String(new byte[]{(byte) cp}, WINDOWS_1252);
            // The five bytes Windows-1252 leaves undefined stand for themselves.
            return decoded.equals("\ufffd") ? String.valueOf((char) cp) : decoded;
        }
        if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
            return "\ufffd";
        }
        if (isInvalidCodePoint((int) cp)) {
            return "";
        }
        return new String(Character.toChars((int) cp));
    }

    private static boolean isInvalidCodePoint(int cp) {
        return (cp >= 0x1 && cp <= 0x8) || cp == 0xb || (cp >= 0xe && cp <= 0x1f) || cp == 0x7f
                || (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe;
    }
}
