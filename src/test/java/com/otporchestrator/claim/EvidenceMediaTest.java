package com.otporchestrator.claim;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Evidence files are recognised by their first bytes, never by their name or declared type")
class EvidenceMediaTest {

  private static Optional<EvidenceMedia> sniff(byte[] bytes) {
    return EvidenceMedia.sniff(Buffer.buffer(bytes));
  }

  private static byte[] ebml(String docType) {
    byte[] b = new byte[40];
    b[0] = 0x1A;
    b[1] = 0x45;
    b[2] = (byte) 0xDF;
    b[3] = (byte) 0xA3;
    byte[] name = docType.getBytes();
    System.arraycopy(name, 0, b, 20, name.length);
    return b;
  }

  @Test
  void recognisesEveryAcceptedType() {
    assertThat(sniff(ClaimFixture.png(20))).contains(EvidenceMedia.PNG);
    assertThat(sniff(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0})).contains(EvidenceMedia.JPEG);
    assertThat(sniff("GIF87a...".getBytes())).contains(EvidenceMedia.GIF);
    assertThat(sniff("RIFF\0\0\0\0WEBPVP8L".getBytes())).contains(EvidenceMedia.WEBP);
    assertThat(sniff(ClaimFixture.mp4(20))).contains(EvidenceMedia.MP4);
    assertThat(sniff(ebml("webm"))).contains(EvidenceMedia.WEBM);
    assertThat(sniff("%PDF-1.4\n".getBytes())).contains(EvidenceMedia.PDF);
  }

  @Test
  void refusesLookalikesAndEverythingElse() {
    assertThat(sniff(ebml("matroska"))).isEmpty();
    assertThat(sniff("RIFF\0\0\0\0WAVEfmt ".getBytes())).isEmpty();
    assertThat(sniff("<svg xmlns='http://www.w3.org/2000/svg'/>".getBytes())).isEmpty();
    assertThat(sniff("<!DOCTYPE html>".getBytes())).isEmpty();
    assertThat(sniff(new byte[] {(byte) 0x89, 'P', 'N'})).isEmpty();
    assertThat(sniff(new byte[0])).isEmpty();
    assertThat(sniff("PK\3\4 a zip".getBytes())).isEmpty();
  }

  @Test
  void mapsEvidenceKindsToWhatCanProveThem() {
    assertThat(Eligibility.proves("video", EvidenceMedia.MediaClass.VIDEO)).isTrue();
    assertThat(Eligibility.proves("video_of_registration", EvidenceMedia.MediaClass.IMAGE)).isFalse();
    assertThat(Eligibility.proves("screenshot", EvidenceMedia.MediaClass.IMAGE)).isTrue();
    assertThat(Eligibility.proves("screenshot", EvidenceMedia.MediaClass.DOCUMENT)).isFalse();
    assertThat(Eligibility.proves("receipt", EvidenceMedia.MediaClass.DOCUMENT)).isTrue();
  }
}
