"""Reading and writing corpora: canonical tables on disk and loaders of real crawls.

Every loader returns a :class:`kopiresearch.Corpus` whose ``report`` accounts for every row.

The rules every loader follows
------------------------------
1. Direction: actor -> account acted upon (replier -> replied-to, retweeter -> retweeted
   author, quoter -> quoted author, mentioner -> mentioned, commenter -> post owner,
   answerer -> owner of the comment answered, post owner -> tagged user).
2. Handles are compared and stored in lower case, without ``@``.
3. One interaction per (post or comment, target, kind); a handle mentioned twice in one text
   counts once. A text can give several kinds at once (reply + mentions, quote + mentions,
   caption mention + tag of the same account).
4. No self-loops: self-replies, self-mentions, comments on one's own post, answering oneself
   give no interaction.
5. A repost gives only the repost edge: handles inside the reposted text are the original
   author's mentions, not the reposter's.
6. The reply target is not also a mention; other ``@handles`` in the text are. The quoted
   author is not also a mention. On Instagram, the post owner is not also a mention of a
   top-level comment.
7. Mentions: Twitter ``@`` + ``[A-Za-z0-9_]+`` not preceded by ``[A-Za-z0-9_]`` (an e-mail
   address is not a mention); Instagram ``@`` + ``[a-z0-9._]`` (<= 30, no trailing ``.``),
   not preceded by a word character, on the lower-cased text, also at the start of a line.
8. An interaction's time is the time of the post or comment that contains the act, in UTC.
9. Duplicates are detected by platform id; the second and later copies count as duplicates;
   where copies differ in what they carry (Instagram folders), the edges of all copies are
   united.
10. rows read = loaded + duplicates + malformed. Blank lines and repeated header lines are
    not rows; they are counted separately. Every malformed row is listed with file, line and
    reason.

Account ids are ``"<platform>:<platform id>"``; an account that the input names only by its
handle (a reply or mention target that never authored a row and whose id no row gives) gets
``"<platform>:@<handle>"`` — readable, stable across files, and impossible to confuse with a
numeric id. :func:`merge` turns such accounts into the id account when another input gives
the id. ``actor_type`` is ``"unknown"`` and ``region_code`` missing until
:func:`label_accounts` is applied.
"""

from .detect import FORMATS, detect_format, load_any
from .drafting import (
    draft_labels,
    guess_actor_type,
    location_scores,
    match_location,
    read_twarc2_profiles,
)
from .examples import example_path
from .follows import FollowsResult, read_follows
from .generic import read_interactions_csv
from .instaloader import read_instaloader
from .labels import LabelResult, label_accounts, read_labels
from .merge import merge
from .pseudonymize import PseudonymKeyError, pseudonymize, resolve_key
from .snscrape import read_snscrape
from .tables import read_corpus, write_corpus
from .twarc2 import read_twarc2
from .twarc_csv import read_twarc_csv
from .tweet_harvest import read_tweet_harvest

__all__ = [
    "read_corpus",
    "write_corpus",
    "read_tweet_harvest",
    "read_twarc2",
    "read_twarc_csv",
    "read_snscrape",
    "read_instaloader",
    "read_interactions_csv",
    "merge",
    "label_accounts",
    "read_labels",
    "LabelResult",
    "pseudonymize",
    "resolve_key",
    "PseudonymKeyError",
    "detect_format",
    "load_any",
    "FORMATS",
    "example_path",
    "draft_labels",
    "match_location",
    "guess_actor_type",
    "location_scores",
    "read_twarc2_profiles",
    "read_follows",
    "FollowsResult",
]
