package dev.tarsier.gateway.s3;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Element;

/**
 * CompleteMultipartUpload: checks the listed parts (present, matching ETags, ascending, all but the last
 * at least 5 MiB), joins their bytes into one new blob, then in one transaction points the key at it,
 * records the event and forgets the upload. The ETag is S3's: the MD5 of the parts' binary MD5s, then
 * {@code -N}.
 */
final class CompleteUploadHandler {
  static final long MIN_PART_SIZE = 5L * 1024 * 1024;
  /** 10,000 parts with their ETags and checksums, plus the XML around them. */
  private static final int MAX_BODY = 4 * 1024 * 1024;
  private final ObjectStore store;

  CompleteUploadHandler(ObjectStore store) {
    this.store = store;
  }

  private record Listed(int partNumber, String eTag) {}

  void handle(S3Call call) {
    String uploadId = call.param("uploadId");
    ObjectStore.Origin origin = call.origin();
    XmlBody.read(call.request, MAX_BODY).compose(body -> store.blocking(() -> {
      List<Listed> listed = listed(XmlBody.parse(body, "CompleteMultipartUpload"));
      UploadRows.UploadRecord upload = store.inRead(c -> UploadRows.requireUpload(c, call.bucket, call.key, uploadId));
      Assembly assembly = assemble(listed, store.inRead(c -> UploadRows.parts(c, uploadId, 0, PartNumbers.MAX)), uploadId);
      String blob = store.blobs().concatenate(assembly.slices(), null);
      ObjectRecord object = new ObjectRecord(call.bucket, call.key, blob, assembly.size(), assembly.eTag(), store.now(),
          upload.headers(), null, assembly.sizes(), null);
      List<String> unreferenced = new ArrayList<>();
      try {
        store.inTransaction(c -> {
          UploadRows.requireUpload(c, call.bucket, call.key, uploadId);
          unreferenced.add(store.putObject(c, object, ObjectChanged.COMPLETE_MULTIPART_UPLOAD, origin));
          unreferenced.addAll(UploadRows.deleteUpload(c, uploadId));
          return null;
        });
      } catch (Exception e) {
        store.deleteBlobs(List.of(blob));
        throw e;
      }
      store.deleteBlobs(unreferenced);
      return object;
    })).onComplete(call.then(object -> call.ok(Xml.document("CompleteMultipartUploadResult")
        .element("Location", "/" + call.bucket + "/" + call.key)
        .element("Bucket", call.bucket).element("Key", call.key).element("ETag", object.quotedETag())
        .end("CompleteMultipartUploadResult"))));
  }

  /** The listed parts' bytes in order, their sizes, and the multipart ETag. */
  private record Assembly(List<Blobs.Slice> slices, long[] sizes, long size, String eTag) {}

  /** Checks the listed parts against the uploaded ones: present, same ETag, big enough unless last. */
  private static Assembly assemble(List<Listed> listed, List<UploadRows.PartRecord> uploaded, String uploadId) {
    Map<Integer, UploadRows.PartRecord> parts = new HashMap<>();
    uploaded.forEach(part -> parts.put(part.partNumber(), part));
    List<Blobs.Slice> slices = new ArrayList<>();
    long[] sizes = new long[listed.size()];
    MessageDigest md5s = Checksum.messageDigest("MD5");
    for (int i = 0; i < listed.size(); i++) {
      Listed wanted = listed.get(i);
      UploadRows.PartRecord part = parts.get(wanted.partNumber());
      if (part == null || !Conditions.unquote(wanted.eTag()).equals(part.eTag())) {
        throw S3Error.INVALID_PART.exception().with("UploadId", uploadId).with("PartNumber", wanted.partNumber())
            .with("ETag", wanted.eTag());
      }
      if (i < listed.size() - 1 && part.size() < MIN_PART_SIZE) {
        throw S3Error.ENTITY_TOO_SMALL.exception().with("ProposedSize", part.size()).with("MinSizeAllowed", MIN_PART_SIZE)
            .with("PartNumber", part.partNumber()).with("ETag", '"' + part.eTag() + '"');
      }
      md5s.update(HexFormat.of().parseHex(part.eTag()));
      slices.add(new Blobs.Slice(part.blob(), 0, part.size()));
      sizes[i] = part.size();
    }
    return new Assembly(slices, sizes, Arrays.stream(sizes).sum(), HexFormat.of().formatHex(md5s.digest()) + "-" + listed.size());
  }

  /** The parts the client lists, in its order, which must ascend. */
  private static List<Listed> listed(Element complete) {
    List<Listed> listed = new ArrayList<>();
    for (Element part : XmlBody.children(complete, "Part")) {
      String number = XmlBody.text(part, "PartNumber");
      String eTag = XmlBody.text(part, "ETag");
      if (number == null || eTag == null) {
        throw S3Error.MALFORMED_XML.exception();
      }
      int partNumber;
      try {
        partNumber = Integer.parseInt(number.strip());
      } catch (NumberFormatException e) {
        throw S3Error.MALFORMED_XML.exception();
      }
      if (!listed.isEmpty() && partNumber <= listed.get(listed.size() - 1).partNumber()) {
        throw S3Error.INVALID_PART_ORDER.exception();
      }
      listed.add(new Listed(partNumber, eTag.strip()));
    }
    if (listed.isEmpty()) {
      throw S3Error.MALFORMED_XML.exception("The XML you provided was not well-formed or did not validate against our "
          + "published schema: a CompleteMultipartUpload lists at least one part");
    }
    return listed;
  }
}
