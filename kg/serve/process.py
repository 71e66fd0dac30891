"""A query worker process of ``kg serve``: ``python -m kg.serve.process FD STORE [MEMORY]``.

FD is the worker's end of a socket pair to the server; STORE the read-only Oxigraph folder;
MEMORY the memory limit in bytes.
"""

import sys
from multiprocessing.connection import Connection

from kg.serve.worker import worker_main

if __name__ == "__main__":
    worker_main(Connection(int(sys.argv[1])), sys.argv[2],
                int(sys.argv[3]) if len(sys.argv) > 3 else None)
