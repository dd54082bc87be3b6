package dev.tarsier.invoker;

/** A function's resource-based policy as GetPolicy returns it: the document as JSON text, and its revision. */
public record FunctionPolicy(String document, String revisionId) {}
