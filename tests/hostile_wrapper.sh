#!/bin/sh
# A wrapper that signals everything it can name before it starts the worker: every process (-1), PID 1, its
# parent, its parent's group and its session. Under the reaper none of that may reach a process outside the
# target's own tree.
kill -KILL -1 2>/dev/null
kill -KILL 1 2>/dev/null
kill -KILL "$PPID" 2>/dev/null
kill -KILL -- "-$(ps -o pgid= $PPID | tr -d ' ')" 2>/dev/null
kill -KILL -- "-$(ps -o sid= $$ | tr -d ' ')" 2>/dev/null
exec "$@"
