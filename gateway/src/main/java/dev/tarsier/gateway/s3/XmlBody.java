package dev.tarsier.gateway.s3;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The small XML bodies some operations take (DeleteObjects, CompleteMultipartUpload,
 * CreateBucketConfiguration): read whole up to a limit, then parsed, on a worker, with DTDs off so
 * no entity can reach outside. Elements are matched by local name, namespace or not.
 */
final class XmlBody {
  private XmlBody() {}

  /** Reads the whole body; MaxMessageLengthExceeded past {@code limit} bytes. Start from the request handler. */
  static Future<Buffer> read(HttpServerRequest request, int limit) {
    Promise<Buffer> body = Promise.promise();
    Buffer collected = Buffer.buffer();
    request.handler(data -> {
      if (body.future().isComplete()) {
        return;
      }
      if (collected.length() + data.length() > limit) {
        body.tryFail(S3Error.MAX_MESSAGE_LENGTH_EXCEEDED.exception("Your request was too big: the limit is " + limit + " bytes."));
        return;
      }
      collected.appendBuffer(data);
    });
    request.exceptionHandler(body::tryFail);
    request.endHandler(ignored -> body.tryComplete(collected));
    return body.future();
  }

  /** Parses a body; MalformedXML if it is not XML or its root is not {@code root}. Blocking-free but CPU-bound: run on a worker. */
  static Element parse(Buffer body, String root) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setExpandEntityReferences(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      builder.setErrorHandler(null);
      Document document = builder.parse(new ByteArrayInputStream(body.getBytes()));
      Element element = document.getDocumentElement();
      if (!root.equals(element.getLocalName())) {
        throw S3Error.MALFORMED_XML.exception();
      }
      return element;
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's XML parser refused a standard feature", e);
    } catch (org.xml.sax.SAXException | java.io.IOException e) {
      throw S3Error.MALFORMED_XML.exception();
    }
  }

  static List<Element> children(Element parent, String name) {
    List<Element> children = new ArrayList<>();
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element && name.equals(element.getLocalName())) {
        children.add(element);
      }
    }
    return children;
  }

  /** The text of the first child named {@code name}, or null. */
  static String text(Element parent, String name) {
    List<Element> children = children(parent, name);
    return children.isEmpty() ? null : children.get(0).getTextContent();
  }
}
