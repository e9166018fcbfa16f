package org.carotspark.text;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ClipTextCleanerTest {

    @Test
    void htmlUnescapeMatchesPythons() {
        // Expected strings printed by Python 3.11's html.unescape.
        assertEquals("&amp;", HtmlUnescape.unescape("&amp;amp;"));
        assertEquals("''", HtmlUnescape.unescape("&#39;&#x27;"));
        assertEquals("AA", HtmlUnescape.unescape("&#X41;&#65"));
        assertEquals("\u20ac\u0081\ufffd\r\ufffd\ufffd", HtmlUnescape.unescape("&#128;&#129;&#0;&#13;&#x110000;&#xD800;&#1;&#x7f;"));
        assertEquals("&x & & \u00a0 <3", HtmlUnescape.unescape("&ampx &amp &AMP; &nbsp &lt3"));
        assertEquals("\u00acit; \u2209 \u2026 &bogus; &", HtmlUnescape.unescape("&notit; &notin; &hellip; &bogus; &"));
        assertEquals("a & b && c", HtmlUnescape.unescape("a & b && c"));
        assertEquals("A", HtmlUnescape.unescape("&#00000000000065;"));
        assertEquals("'\u20ac\u00a9", HtmlUnescape.unescape("&apos;&euro;&COPY"));
    }

    @Test
    void html5OnlyNamesAreKeptWherePythonDecodesThem() {
        // Documented difference: Python gives "\n" here.
        assertEquals("&NewLine;", HtmlUnescape.unescape("&NewLine;"));
    }

    @Test
    void cleanupUnescapesTwiceCollapsesWhitespaceAndLowerCases() {
        assertEquals("fish & chips", ClipTextCleaner.clean("Fish &amp;amp; Chips"));
        assertEquals("lots of white space", ClipTextCleaner.clean("  Lots\tof\n\nWHITE \u00a0\u3000 space  "));
        assertEquals("caf\u00e9", ClipTextCleaner.clean("CAFE\u0301"));
        // U+001C..U+001F are not \s for the regex but Python's strip() removes them at the ends.
        assertEquals("a\u001cb", ClipTextCleaner.clean("\u001ca\u001cb\u001f"));
        assertEquals("", ClipTextCleaner.clean(" \t\n"));
    }
}
