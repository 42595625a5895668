#!/bin/bash
# Queues the batch array and, after it succeeds, the merge.
#   deploy/slurm/submit.sh /shared/archive /shared/out
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
export ARCHIVE=${1:?usage: submit.sh ARCHIVE OUT} OUT=${2:?usage: submit.sh ARCHIVE OUT}
array=$(sbatch --parsable --export=ALL "$here/folio-batch.sbatch")
sbatch --dependency=afterok:"$array" --export=ALL "$here/folio-merge.sbatch"
