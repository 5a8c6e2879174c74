"""Out-of-core and distributed versions of the heavy steps, with Dask.

Install with ``pip install kopiresearch[scale]``. A year of posts that mention government
accounts is hundreds of millions of rows, but the research output is small: an edge list of
account pairs, region tables, cascade measures. The package is split by concern:

- ``_client``: :func:`dask_client`, a ``LocalCluster`` or a connection to a scheduler;
- ``_corpus``: :func:`open_parquet_corpus` opens a partitioned Parquet corpus (written by
  :func:`kopiresearch.io.parquet.stream_to_parquet`) lazily as a :class:`DaskCorpus`, one
  partition per platform and month, removing duplicates inside each partition (copies of a
  post always share platform and month);
- ``_edges``: :func:`aggregate_edges`, :func:`write_edges` and :func:`region_flow_table`
  aggregate the interaction graph's edge table and the region flow table in Dask and hand the
  small result to NetworkX through the same code as the in-memory path
  (:func:`kopiresearch.graph.graph_from_edge_table`), so both give the same graph
  (``kopiresearch.build_interaction_graph`` takes a :class:`DaskCorpus` too);
- ``_runs``: parallel runs. Monte-Carlo diffusion and IMM's reverse-reachable sets are spread
  over Dask workers by the in-memory functions themselves, with ``client=``:
  ``kopiresearch.diffusion.simulate(..., client=client)`` and
  ``kopiresearch.seeding.select_seeds(..., client=client)`` give exactly the in-process result
  for the same seed, whatever the number of workers (:func:`simulate_distributed` and
  :func:`select_seeds_distributed` are the older spelling, deprecated), and so are the
  cascade measures: ``kopiresearch.cascades.cascade_table(cascades, client=client)`` gives the
  in-process table (:func:`cascade_table_distributed` is the older spelling, deprecated).
  ``kopiresearch.scale.build_interaction_graph`` is a deprecated alias of
  ``kopiresearch.build_interaction_graph``, which takes a :class:`DaskCorpus`.

By default work runs on a ``LocalCluster`` on this machine; a scheduler address
(``scheduler="tcp://..."`` or the ``DASK_SCHEDULER_ADDRESS`` environment variable) sends the
same work to an existing cluster (dask-jobqueue on HPC, Kubernetes, ...).
"""

from ._client import dask_client
from ._corpus import DaskCorpus, open_parquet_corpus
from ._edges import aggregate_edges, region_flow_table, write_edges

# deprecated names: importable for one release (they warn when called), not exported
from ._edges import build_interaction_graph as build_interaction_graph
from ._runs import cascade_table_distributed as cascade_table_distributed
from ._runs import select_seeds_distributed as select_seeds_distributed
from ._runs import simulate_distributed as simulate_distributed

__all__ = ["open_parquet_corpus", "DaskCorpus", "aggregate_edges", "region_flow_table",
           "dask_client", "write_edges"]
