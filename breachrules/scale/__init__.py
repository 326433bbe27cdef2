"""Many assessments: batches across processes, what-if sweeps on Dask, and the benchmark
(``python -m breachrules.bench``)."""
