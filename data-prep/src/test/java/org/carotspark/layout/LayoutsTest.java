package org.carotspark.layout;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayoutsTest {

    private static final Map<String, Integer> WNIDS = Map.of("n01", 0, "n02", 1, "n03", 2);

    @Test
    void wnidFolders() {
        WnidFolderLayout all = new WnidFolderLayout(WNIDS, null, null);
        LayoutEntry ok = all.classify("n02/x.JPEG", "file:/r/n02/x.JPEG");
        assertFalse(ok.isRejected());
        assertEquals(1, ok.label());
        assertEquals("n02", ok.wnid());
        assertTrue(all.classify("n09/x.JPEG", "s").rejectReason().startsWith("unlabeled: unknown wnid folder 'n09'"));
        assertTrue(all.classify("x.JPEG", "s").rejectReason().startsWith("unexpected-path"));
        assertTrue(all.classify("n01/deeper/x.JPEG", "s").rejectReason().startsWith("unexpected-path"));
        WnidFolderLayout r = new WnidFolderLayout(WNIDS, new int[]{0, 2}, "imagenet-r");
        assertTrue(r.classify("n02/x.jpg", "s").rejectReason().contains("not in the imagenet-r class subset"));
        assertEquals(2, r.classify("n03/x.jpg", "s").label());
    }

    @Test
    void classIndexFolders() {
        ClassIndexFolderLayout v2 = new ClassIndexFolderLayout(List.of("n01", "n02", "n03"));
        assertEquals(2, v2.classify("2/abc.jpeg", "s").label());
        assertEquals("n03", v2.classify("2/abc.jpeg", "s").wnid());
        assertTrue(v2.classify("3/abc.jpeg", "s").rejectReason().contains("not in 0..2"));
        assertTrue(v2.classify("-1/abc.jpeg", "s").isRejected());
        assertTrue(v2.classify("n01/abc.jpeg", "s").isRejected());
    }

    @Test
    void objectNetFolders() {
        ObjectNetLayout on = new ObjectNetLayout(Map.of("alarm_clock", 0, "banana", 1));
        LayoutEntry e = on.classify("banana/1.png", "s");
        assertEquals(1, e.label());
        assertEquals("banana", e.wnid());
        assertEquals("images/banana/1.png", e.relativePath());
        assertTrue(on.classify("squeegee/1.png", "s").rejectReason().contains("no ImageNet mapping"));
    }

    @Test
    void corruptionSeverityWnid() {
        CorruptionLayout c = new CorruptionLayout(WNIDS);
        LayoutEntry e = c.classify("fog/3/n01/x.JPEG", "s");
        assertEquals("fog", e.corruption());
        assertEquals(3, e.severity());
        assertEquals(0, e.label());
        assertTrue(c.classify("fog/6/n01/x.JPEG", "s").rejectReason().contains("severity"));
        assertTrue(c.classify("blur_more/3/n01/x.JPEG", "s").rejectReason().contains("unknown ImageNet-C corruption"));
        assertTrue(c.classify("fog/3/n77/x.JPEG", "s").rejectReason().contains("unknown wnid"));
        assertTrue(c.classify("fog/3/x.JPEG", "s").rejectReason().startsWith("unexpected-path"));
    }
}
