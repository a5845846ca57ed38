package io.drover.model;

/** A value read from a znode together with the znode's version, for a later compare-and-set. */
public record Versioned<T>(T value, int version) {}
