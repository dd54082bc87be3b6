package dev.tarsier.invoker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ConcurrencyTest {

  @Test
  void reservedFunctionRunsAtMostItsReservation() {
    Concurrency concurrency = new Concurrency(10);
    concurrency.reserve("f", 1);
    Concurrency.Permit permit = concurrency.acquire("f");
    assertThatThrownBy(() -> concurrency.acquire("f"))
        .isInstanceOfSatisfying(LambdaFailure.TooManyRequests.class,
            e -> assertThat(e.reason()).isEqualTo("ReservedFunctionConcurrentInvocationLimitExceeded"));
    permit.release();
    assertThat(concurrency.available("f")).isTrue();
  }

  @Test
  void unreservedFunctionsShareWhatReservationsLeave() {
    Concurrency concurrency = new Concurrency(3);
    concurrency.reserve("reserved", 2);
    concurrency.acquire("a");
    assertThatThrownBy(() -> concurrency.acquire("b"))
        .isInstanceOfSatisfying(LambdaFailure.TooManyRequests.class,
            e -> assertThat(e.reason()).isEqualTo("ConcurrentInvocationLimitExceeded"));
    assertThat(concurrency.unreserved()).isEqualTo(1);
  }

  @Test
  void reservingWhileRunningKeepsTheCountsRight() {
    Concurrency concurrency = new Concurrency(2);
    Concurrency.Permit unreserved = concurrency.acquire("f");
    concurrency.reserve("f", 1);
    unreserved.release();
    assertThat(concurrency.running()).isZero();
    concurrency.acquire("g");
    concurrency.acquire("f");
  }

  @Test
  void aPermitReleasedTwiceIsABrokenContract() {
    Concurrency.Permit permit = new Concurrency(1).acquire("f");
    permit.release();
    assertThatThrownBy(permit::release).hasMessageContaining("released twice");
  }

  @Test
  void reservationsCannotExceedTheAccountLimit() {
    Concurrency concurrency = new Concurrency(5);
    concurrency.reserve("a", 3);
    assertThatThrownBy(() -> concurrency.reserve("b", 3)).isInstanceOf(LambdaFailure.InvalidParameterValue.class);
  }
}
