/**
 * The shell script that readies a Docker host: data directories, a reachable Docker
 * daemon and, when GPUs are requested, the NVIDIA driver and container runtime. Each
 * check fails with a message that says what is missing and how to fix it, instead of a
 * container that later dies without a GPU.
 */
export interface HostPreparationOptions {
    dataDirs: string[];
    gpu: boolean;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function hostPreparationScript(opts: HostPreparationOptions): string {
    const lines = [
        "set -eu",
        `mkdir -p ${opts.dataDirs.map(quote).join(" ")}`,
        'if ! docker info >/dev/null 2>&1; then echo "milvus-gpu: Docker is not installed or its daemon is not reachable on this host (docker info failed)" >&2; exit 11; fi',
    ];
    if (opts.gpu) {
        lines.push(
            'if ! command -v nvidia-smi >/dev/null 2>&1; then echo "milvus-gpu: a GPU was requested but nvidia-smi is missing: install the NVIDIA driver on this host" >&2; exit 12; fi',
            'if ! nvidia-smi -L >/dev/null 2>&1; then echo "milvus-gpu: nvidia-smi found no working GPU: check the driver (nvidia-smi)" >&2; exit 13; fi',
            // --gpus works through nvidia-container-toolkit (its CLI/hook) or a registered nvidia runtime.
            "if ! command -v nvidia-container-cli >/dev/null 2>&1 && ! docker info --format '{{json .Runtimes}}' | grep -q nvidia; then echo \"milvus-gpu: the NVIDIA container toolkit is missing, so Docker cannot pass GPUs to containers: install nvidia-container-toolkit and run nvidia-ctk runtime configure --runtime=docker\" >&2; exit 14; fi",
            "nvidia-smi --query-gpu=index,name,memory.total --format=csv,noheader",
        );
    }
    lines.push("docker version --format 'docker {{.Server.Version}}'");
    return lines.join("\n");
}
