package com.otporchestrator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The test harness leaves nothing behind: a class's database and Redis keys go when its stores close")
class TestStoresTest {

  @Test
  void closingRemovesTheClassesKeysAndNoOtherKeys() throws IOException {
    TestStores.Isolated stores = TestStores.isolate(TestStoresTest.class);
    TestStores.Isolated neighbour = TestStores.isolate(TestStoresTest.class);
    try (RespClient redis = RespClient.connect(stores.redisUrl())) {
      for (int i = 0; i < 2500; i++) redis.call("SET", stores.redisPrefix() + "k" + i, "v");
      redis.call("SET", neighbour.redisPrefix() + "kept", "v");

      stores.close();

      assertThat(redis.call("EXISTS", stores.redisPrefix() + "k0", stores.redisPrefix() + "k2499")).isEqualTo(0L);
      assertThat(RespClient.deleteKeys(stores.redisUrl(), stores.redisPrefix())).as("keys left under the prefix").isZero();
      assertThat(redis.call("EXISTS", neighbour.redisPrefix() + "kept")).as("another class's key").isEqualTo(1L);
    } finally {
      neighbour.close();
    }
  }
}
