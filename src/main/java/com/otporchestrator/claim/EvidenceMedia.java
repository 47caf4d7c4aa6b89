package com.otporchestrator.claim;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The media types accepted as evidence, recognised by their first bytes (magic numbers), never by the name or the
 * declared Content-Type: a file is stored and served as what its bytes are.
 */
public enum EvidenceMedia {
  PNG("image/png", "png", MediaClass.IMAGE),
  JPEG("image/jpeg", "jpg", MediaClass.IMAGE),
  WEBP("image/webp", "webp", MediaClass.IMAGE),
  GIF("image/gif", "gif", MediaClass.IMAGE),
  MP4("video/mp4", "mp4", MediaClass.VIDEO),
  WEBM("video/webm", "webm", MediaClass.VIDEO),
  PDF("application/pdf", "pdf", MediaClass.DOCUMENT);

  /** What a file can prove: a screenshot kind needs an image, a video kind a video. */
  public enum MediaClass { IMAGE, VIDEO, DOCUMENT }

  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  private static final byte[] EBML_MAGIC = {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3};

  private final String type;
  private final String extension;
  private final MediaClass mediaClass;

  EvidenceMedia(String type, String extension, MediaClass mediaClass) {
    this.type = type;
    this.extension = extension;
    this.mediaClass = mediaClass;
  }

  public String type() {
    return type;
  }

  public String extension() {
    return extension;
  }

  public MediaClass mediaClass() {
    return mediaClass;
  }

  public static Optional<EvidenceMedia> ofType(String type) {
    for (EvidenceMedia m : values()) {
      if (m.type.equals(type)) return Optional.of(m);
    }
    return Optional.empty();
  }

  /** The type the bytes are, or empty when they are none of the accepted ones. */
  public static Optional<EvidenceMedia> sniff(Buffer data) {
    byte[] head = data.getBytes(0, Math.min(data.length(), 64));
    if (startsWith(head, 0, PNG_MAGIC)) return Optional.of(PNG);
    if (head.length >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF) {
      return Optional.of(JPEG);
    }
    if (ascii(head, 0, "GIF87a") || ascii(head, 0, "GIF89a")) return Optional.of(GIF);
    if (ascii(head, 0, "RIFF") && ascii(head, 8, "WEBP")) return Optional.of(WEBP);
    if (ascii(head, 4, "ftyp")) return Optional.of(MP4);
    if (startsWith(head, 0, EBML_MAGIC) && contains(head, "webm")) return Optional.of(WEBM);
    if (ascii(head, 0, "%PDF-")) return Optional.of(PDF);
    return Optional.empty();
  }

  private static boolean ascii(byte[] head, int at, String text) {
    return startsWith(head, at, text.getBytes(StandardCharsets.US_ASCII));
  }

  private static boolean startsWith(byte[] head, int at, byte[] magic) {
    if (head.length < at + magic.length) return false;
    for (int i = 0; i < magic.length; i++) {
      if (head[at + i] != magic[i]) return false;
    }
    return true;
  }

  /** A WebM file's EBML header names its DocType ("webm") within the first bytes; other Matroska files are refused. */
  private static boolean contains(byte[] head, String text) {
    byte[] needle = text.getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i + needle.length <= head.length; i++) {
      if (startsWith(head, i, needle)) return true;
    }
    return false;
  }
}
