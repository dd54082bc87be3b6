package dev.tarsier.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessIsolationPathsTest {

  @Test
  void mapsContainerPathsOnceEvenWhenHostPathsLieUnderTmp() {
    Map<String, String> paths = new LinkedHashMap<>();
    paths.put("/var/runtime", "/tmp/ci/data/runtimes");
    paths.put("/var/task", "/tmp/ci/data/code/abc");
    paths.put("/tmp", "/tmp/ci/data/sandboxes/s1/tmp");
    assertThat(ProcessIsolation.mapPaths("-cp /var/runtime/java/*:/var/task", paths))
        .isEqualTo("-cp /tmp/ci/data/runtimes/java/*:/tmp/ci/data/code/abc");
    assertThat(ProcessIsolation.mapPaths("/tmp/.libaws-lambda-jni.so", paths)).isEqualTo("/tmp/ci/data/sandboxes/s1/tmp/.libaws-lambda-jni.so");
    assertThat(ProcessIsolation.mapPaths("/var/tasks/other", paths)).isEqualTo("/var/tasks/other");
  }
}
