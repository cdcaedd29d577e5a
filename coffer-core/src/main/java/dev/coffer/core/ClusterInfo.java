package dev.coffer.core;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The cluster's name and id, generated at init and stored behind the barrier. */
public record ClusterInfo(@JsonProperty("name") String name, @JsonProperty("id") String id) {
}
