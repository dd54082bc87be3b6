package dev.tarsier.gateway.notifications;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The XML of Put/GetBucketNotificationConfiguration. Reads {@code CloudFunctionConfiguration} (the wire
 * name the SDKs and CLI send) and its aliases {@code LambdaFunctionConfiguration}/{@code LambdaFunctionArn};
 * writes the wire names back.
 */
final class NotificationXml {
  static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

  private NotificationXml() {}

  /** A configuration that cannot be read; the S3 API answers MalformedXML or InvalidArgument. */
  static final class Invalid extends RuntimeException {
    final String code;

    Invalid(String code, String message) {
      super(message);
      this.code = code;
    }
  }

  static List<NotificationRule> parse(byte[] xml, FunctionNames names) {
    Document document;
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    } catch (Exception e) {
      throw new Invalid("MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema");
    }
    Element root = document.getDocumentElement();
    if (!root.getLocalName().equals("NotificationConfiguration")) {
      throw new Invalid("MalformedXML", "The root element must be NotificationConfiguration");
    }
    List<NotificationRule> rules = new ArrayList<>();
    for (Element config : children(root)) {
      String kind = config.getLocalName();
      if (kind.equals("QueueConfiguration") || kind.equals("TopicConfiguration")) {
        throw new Invalid("InvalidArgument", kind + " is not supported here: only function (CloudFunctionConfiguration) destinations");
      }
      if (!kind.equals("CloudFunctionConfiguration") && !kind.equals("LambdaFunctionConfiguration")) {
        continue;
      }
      rules.add(rule(config, names));
    }
    return rules;
  }

  /** Reads a function name from a function ARN; null when it is not one. */
  interface FunctionNames {
    String of(String arn);
  }

  private static NotificationRule rule(Element config, FunctionNames names) {
    String id = null;
    String arn = null;
    List<String> events = new ArrayList<>();
    String prefix = null;
    String suffix = null;
    for (Element child : children(config)) {
      switch (child.getLocalName()) {
        case "Id" -> id = child.getTextContent().strip();
        case "CloudFunction", "LambdaFunctionArn" -> arn = child.getTextContent().strip();
        case "Event" -> events.add(child.getTextContent().strip());
        case "Filter" -> {
          for (Element s3Key : children(child)) {
            for (Element filterRule : children(s3Key)) {
              String name = text(filterRule, "Name");
              String value = text(filterRule, "Value");
              if (value == null || value.isEmpty() || value.contains("*")) {
                throw new Invalid("InvalidArgument", "Filter rule values must not be empty or contain wildcards");
              }
              if ("prefix".equalsIgnoreCase(name) && prefix == null) {
                prefix = value;
              } else if ("suffix".equalsIgnoreCase(name) && suffix == null) {
                suffix = value;
              } else {
                throw new Invalid("InvalidArgument", "Cannot specify more than one prefix or suffix rule in a filter, or a rule other than prefix or suffix: " + name);
              }
            }
          }
        }
        default -> { }
      }
    }
    if (arn == null) {
      throw new Invalid("InvalidArgument", "A function configuration needs a CloudFunction ARN");
    }
    String function = names.of(arn);
    if (function == null) {
      throw new Invalid("InvalidArgument", "Unable to validate the following destination configurations: " + arn + " is not a function ARN");
    }
    if (events.isEmpty()) {
      throw new Invalid("InvalidArgument", "A function configuration needs at least one Event");
    }
    for (String event : events) {
      if (!EventNames.isConfigurable(event)) {
        throw new Invalid("InvalidArgument", "The event is not supported for notifications: " + event);
      }
    }
    return new NotificationRule(id == null || id.isEmpty() ? UUID.randomUUID().toString() : id, arn, function, events,
        prefix == null ? "" : prefix, suffix == null ? "" : suffix);
  }

  static String write(List<NotificationRule> rules) {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<NotificationConfiguration xmlns=\"")
        .append(NAMESPACE).append("\">");
    for (NotificationRule rule : rules) {
      xml.append("<CloudFunctionConfiguration><Id>").append(escape(rule.id())).append("</Id><CloudFunction>")
          .append(escape(rule.functionArn())).append("</CloudFunction>");
      for (String event : rule.events()) {
        xml.append("<Event>").append(escape(event)).append("</Event>");
      }
      if (!rule.prefix().isEmpty() || !rule.suffix().isEmpty()) {
        xml.append("<Filter><S3Key>");
        if (!rule.prefix().isEmpty()) {
          xml.append("<FilterRule><Name>Prefix</Name><Value>").append(escape(rule.prefix())).append("</Value></FilterRule>");
        }
        if (!rule.suffix().isEmpty()) {
          xml.append("<FilterRule><Name>Suffix</Name><Value>").append(escape(rule.suffix())).append("</Value></FilterRule>");
        }
        xml.append("</S3Key></Filter>");
      }
      xml.append("</CloudFunctionConfiguration>");
    }
    return xml.append("</NotificationConfiguration>").toString();
  }

  private static List<Element> children(Element parent) {
    List<Element> elements = new ArrayList<>();
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element) {
        elements.add(element);
      }
    }
    return elements;
  }

  private static String text(Element parent, String name) {
    for (Element child : children(parent)) {
      if (child.getLocalName().equals(name)) {
        return child.getTextContent().strip();
      }
    }
    return null;
  }

  static String escape(String value) {
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&apos;");
  }
}
