#!/bin/sh
# Extract the windowed US files from the git mirror of sowide/multi-head_LSTM_for_bankruptcy-prediction
# (obtained with the session's `fetch` tool; on a normal machine: git clone the GitHub repo instead).
set -e
REPO=${1:-/work/.mirror/sowide+multi-head_LSTM_for_bankruptcy-prediction/repo}
OUT=$(dirname "$0")/data/us_lstm
mkdir -p "$OUT"
for w in 3 4 5; do for s in train validation test; do
  git --git-dir="$REPO" show "HEAD:datasets_for_LSTM/${w}_${s}_for_LSTM.csv" > "$OUT/${w}_${s}.csv"
done; done
ls -l "$OUT"
