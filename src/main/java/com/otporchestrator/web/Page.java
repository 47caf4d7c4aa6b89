package com.otporchestrator.web;

import java.util.ArrayList;
import java.util.List;

/**
 * What the shared layout ({@code layout.jte}) needs around a page's own content: the title, which console it belongs
 * to ({@code app} or {@code console}), the signed-in person (null on the login page), the CSRF token for its forms,
 * the navigation, the banners shown above the content (the banner slot) and a one-line notice (after a redirect).
 */
public record Page(String title, String area, String user, String csrf, List<NavLink> nav, List<Banner> banners,
                   String notice) {

  /** A navigation entry; {@code current} marks the page being shown (aria-current). */
  public record NavLink(String href, String label, boolean current) {}

  /**
   * A banner across the top of the content: {@code level} is info, warning or danger (the red one); {@code href}
   * (optional) links to where it can be dealt with.
   */
  public record Banner(String level, String text, String href) {}

  public Page {
    nav = List.copyOf(nav);
    banners = List.copyOf(banners);
  }

  public Page withTitle(String newTitle) {
    return new Page(newTitle, area, user, csrf, nav, banners, notice);
  }

  public Page withBanner(Banner banner) {
    List<Banner> all = new ArrayList<>(banners);
    all.add(banner);
    return new Page(title, area, user, csrf, nav, all, notice);
  }

  public Page withNotice(String text) {
    return new Page(title, area, user, csrf, nav, banners, text);
  }

  /** The nav with {@code href} marked current. */
  public Page current(String href) {
    return new Page(title, area, user, csrf,
        nav.stream().map(l -> new NavLink(l.href(), l.label(), l.href().equals(href))).toList(), banners, notice);
  }
}
