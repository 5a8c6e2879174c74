"""The measures researchers of government social media compute, one call each.

- :func:`account_table`: degrees by kind of act, PageRank, betweenness, HITS, k-core,
  Burt's constraint and effective size (:func:`structural_holes`);
- two-way communication: :func:`reciprocity` (overall and by group pair),
  :func:`responsiveness` (reply rate and Kaplan-Meier response time per office, built on
  :func:`addressed_posts`, :func:`response_curve`, :func:`kaplan_meier`), compared with
  planted values by :func:`recovery_of_truth` and between own- and other-region citizens by
  :func:`own_region_effect` (:func:`mantel_haenszel` over offices),
  :func:`push_pull_networking` (Mergel) and :func:`engagement` (Bonson);
- brokerage: :func:`brokerage` (Gould-Fernandez roles with a permutation baseline) and
  :func:`brokerage_summary`, :func:`brokerage_null` (its permutation interval);
- communities: :func:`communities` (Louvain), :func:`community_stability`,
  :func:`partition_agreement` (:func:`normalized_mutual_info`, :func:`adjusted_rand_index`);
- mixing: :func:`mixing_matrix`, :func:`nominal_assortativity`,
  :func:`adjusted_nominal_assortativity`, :func:`ei_index`.

Group measures take ``by=``: a node attribute name, a mapping node -> group
(e.g. :func:`actor_groups`, which merges the government types) or a callable.
"""

from ._brokerage import BROKERAGE_ROLES, brokerage, brokerage_null, brokerage_summary
from ._centrality import AccountTable, account_table, structural_holes
from ._common import ACTOR_GROUPS, MISSING_GROUP, actor_groups
from ._communities import (
    Partition,
    StabilityResult,
    adjusted_rand_index,
    communities,
    community_stability,
    normalized_mutual_info,
    partition_agreement,
    undirected_weighted,
)
from ._government import SOLICITATION_PATTERN, engagement, push_pull_networking
from ._mixing import adjusted_nominal_assortativity, ei_index, mixing_matrix, nominal_assortativity
from ._reciprocity import reciprocity
from ._responsiveness import (
    addressed_posts,
    kaplan_meier,
    mantel_haenszel,
    own_region_effect,
    recovery_of_truth,
    response_curve,
    responsiveness,
)

__all__ = [
    "account_table",
    "AccountTable",
    "structural_holes",
    "reciprocity",
    "addressed_posts",
    "responsiveness",
    "recovery_of_truth",
    "own_region_effect",
    "mantel_haenszel",
    "response_curve",
    "kaplan_meier",
    "push_pull_networking",
    "engagement",
    "SOLICITATION_PATTERN",
    "brokerage",
    "brokerage_null",
    "brokerage_summary",
    "BROKERAGE_ROLES",
    "communities",
    "community_stability",
    "StabilityResult",
    "Partition",
    "partition_agreement",
    "normalized_mutual_info",
    "adjusted_rand_index",
    "undirected_weighted",
    "mixing_matrix",
    "nominal_assortativity",
    "adjusted_nominal_assortativity",
    "ei_index",
    "actor_groups",
    "ACTOR_GROUPS",
    "MISSING_GROUP",
]
