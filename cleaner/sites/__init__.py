"""Chrome that repeats across a site: the corpus mode.

    lines    what a line and a page's site are, as the counts see them
    table    the bounded table of counts (fixed size, counts never too high)
    profile  the counts of a corpus, saved and loaded (a versioned file), and the decision
    build    pass one: a corpus read as `clean` reads it, counted into a profile

Pass one counts, per site, the pages each normalised line is on; pass two
(the chain, given the profile) labels `chrome` with rule id `site.repeated`
the lines on at least `min_pages` pages of their site in a page's head or
tail, on one more elsewhere, and not the short lines that frame the page's
own text (profile.SiteLines.repeated). Nothing is imported here, so a
command loads only the parts it uses.
"""
