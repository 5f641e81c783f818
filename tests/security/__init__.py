"""Attacks an Editor, an Administrator or an anonymous visitor could make, found by a
review (issue 8), each kept as a test that failed before its fix. By item:

1  revision of another model, or reaching into another event   test_admin_crafted_posts
2  inline rows of another event posted into one's draft       test_admin_crafted_posts
3  Markdown rendering time                                     test_markdown_hardening
4  stale pages: per-process cache, cache paused at a change    test_page_cache_staleness
5  raw Markdown in the Atom feed                               test_feed_summary
6  Administrator raising themself, unrecorded role changes    test_administrator_role
7  lockout extended, or shared behind a proxy                  test_login_lockout
8  import naming another event's media; missing file → 500    test_import_media_files
9  memory of image decoding                                    test_photo_decode_memory
10 lost updates and 500s of two people on one event            test_admin_lost_updates
11 cache filled with made-up parameter values                  test_page_cache_staleness
12 open redirect through the language switch                   test_language_switch_redirect
13 unclosed <style>/<script>/<textarea> hiding text            test_markdown_hardening
14 render cache unbounded in bytes                             test_markdown_hardening
15 more than 10,000 form fields                                test_admin_lost_updates
16 import size and depth                                       test_import_size_depth
17 a sub-point's id among top-level rows                       test_admin_crafted_posts
18 recovery of deleted events                                  test_admin_crafted_posts
19 file type by structure; media headers                       test_document_structure
20 bidi override characters                                    test_bidi_controls
21 cookie flags, deletions included                            test_cookie_flags
22 STATIC_ROOT and the test Redis configurable                 test_operations_settings
"""
