// The shell that wraps every tracked exec in a task container: a pid file per tag so the
// whole process tree can be stopped inside the container (killing the docker client does
// not stop what it started), and an optional `prepare` step in the same exec. POSIX sh, so
// busybox images work too.

export const PID_DIR = '/tmp/.tb2';

// Stop the whole process tree under the recorded pid: SIGSTOP each process found (so
// nothing forks behind us), repeat until no new child appears, then SIGKILL them all.
// Reads ppid from /proc/PID/stat (field after the ")" of comm); POSIX sh, busybox too.
export const KILL_TREE = `r=$(cat "$1" 2>/dev/null); [ -n "$r" ] || exit 0
all=" $r "; kill -STOP "$r" 2>/dev/null || exit 0
n=0
while [ $n -lt 50 ]; do
  found=0
  for s in /proc/[0-9]*/stat; do
    read -r l < "$s" 2>/dev/null || continue
    p=\${l%% *}; rest=\${l##*) }; pp=\${rest#* }; pp=\${pp%% *}
    case "$all" in *" $pp "*) case "$all" in *" $p "*) ;; *) all="$all$p "; kill -STOP "$p" 2>/dev/null; found=1;; esac;; esac
  done
  [ $found = 1 ] || break
  n=$((n+1))
done
kill -KILL $all 2>/dev/null; rm -f "$1"; exit 0`;

export const PREPARE_FAILED = 199;
export const PREPARE_MARKER = 'tb2: exec preparation failed';

/** The exec's `prepare` step failed (a Docker-side fault, not the script's exit code). */
export function prepareFailed(res: { exitCode: number; stderrTail: string }): boolean {
  return res.exitCode === PREPARE_FAILED && res.stderrTail.includes(PREPARE_MARKER);
}

/** POSIX single-quoting: safe for any string in `sh -c`. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The pid file of a tracked exec. */
export const pidFileOf = (tag: string) => `${PID_DIR}/${tag}.pid`;

/**
 * `script` wrapped: `prepare` first (its failure exits PREPARE_FAILED with the marker), then
 * the pid file, then the script itself, its output appended to `redirect` when given (so a
 * host-side tail can follow it). The script travels as "$1", never inside this text.
 */
export function wrapScript(tag: string, prepare?: string, redirect?: string): string {
  const out = redirect ? ` >> '${redirect}' 2>&1` : '';
  const pre = prepare ? `{ ${prepare}; } || { echo '${PREPARE_MARKER}' >&2; exit ${PREPARE_FAILED}; }; ` : '';
  // Mode 1777: phases may run as different users (`[agent] user`, `[verifier] user`).
  return `${pre}mkdir -p -m 1777 ${PID_DIR} && echo $$ > ${pidFileOf(tag)} && exec sh -c "$1"${out}`;
}

/**
 * The command that runs a task's script (tests/test.sh, solution/solve.sh) as Harbor v0.22
 * does (src/harbor/utils/scripts.py, verifier.py, oracle.py): `chmod +x` first, then run it
 * through bash, so its shebang decides and bash runs one without a shebang. The file need
 * not be executable (an artifact download or a zip loses the bit): when chmod is not
 * allowed (a non-root user, a root-owned copy), bash reads it. Without bash (busybox), sh.
 */
export function runScript(file: string): string {
  const f = shQuote(file);
  return (
    `{ [ -x ${f} ] || chmod +x ${f} 2>/dev/null; }; ` +
    `if command -v bash >/dev/null 2>&1; then if [ -x ${f} ]; then bash -c ${shQuote(`exec ${f}`)}; else bash ${f}; fi; ` +
    `elif [ -x ${f} ]; then ${f}; else sh ${f}; fi`
  );
}
