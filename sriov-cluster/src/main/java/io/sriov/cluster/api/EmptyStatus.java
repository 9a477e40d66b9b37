package io.sriov.cluster.api;

/**
 * The {@code status} of kinds whose upstream status struct is empty ({@link
 * SriovNetworkNodePolicy}, {@link SriovNetworkPoolConfig}): written as {@code {}}.
 */
public record EmptyStatus() {}
