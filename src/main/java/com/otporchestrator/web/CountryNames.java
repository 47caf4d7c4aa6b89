package com.otporchestrator.web;

import com.otporchestrator.catalog.CatalogRepository;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Country names for the pages (orders carry the country's id), read from the catalog when first needed and again after
 * five minutes, in the background: a page never waits for them, and shows "country N" until they are in.
 */
public final class CountryNames {
  private static final Logger LOG = LoggerFactory.getLogger(CountryNames.class);
  private static final long REFRESH_MILLIS = 300_000;

  private final CatalogRepository catalog;
  private volatile Map<Integer, String> names = Map.of();
  private volatile long loadedAt;
  private volatile boolean loading;

  CountryNames(CatalogRepository catalog) {
    this.catalog = catalog;
  }

  /** The country's name, or "country N" while the names are not in yet or for an id the catalog does not know. */
  public String of(int country) {
    refreshIfOld();
    String name = names.get(country);
    return name == null ? "country " + country : name;
  }

  private void refreshIfOld() {
    if (loading || (loadedAt != 0 && System.currentTimeMillis() - loadedAt < REFRESH_MILLIS)) return;
    loading = true;
    catalog.countries().onComplete(done -> {
      loading = false;
      if (done.failed()) {
        LOG.debug("country names not loaded: {}", done.cause().toString());
        return;
      }
      Map<Integer, String> read = new HashMap<>();
      done.result().forEach(c -> read.put(Integer.parseInt(c.key()), c.name()));
      names = Map.copyOf(read);
      loadedAt = System.currentTimeMillis();
    });
  }
}
