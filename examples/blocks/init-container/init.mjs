// An init container (spec §6) for a third-party block, in the shape of the original's
// InitContainerExecutor: begin, main, finish, each reported to the controller as an
// `init_create_status_update`; `finish` hands `{inference_url, metrics_url}` to the block.
// Here "installing" the third-party system only pretends; a real one would run `helm install`.
// `--fail <stage>[:<mode>]` reports `failed` at that stage (in that mode only, when given) and
// exits 1, so tests can see a failed install or uninstall; `--exit-code 0` with it exits 0 instead,
// as the original's executor does after reporting a failure.
const blockId = process.env.BLOCK_ID ?? '';
const mode = process.env.operating_mode ?? process.env.OPERATING_MODE ?? 'create';
const governor = process.env.GOVERNOR_URL ?? '';
// A token the controller scoped to this job's reports; absent when the controller needs none.
const auth = process.env.GOVERNOR_TOKEN ? { authorization: `Bearer ${process.env.GOVERNOR_TOKEN}` } : {};
const failArg = process.argv.includes('--fail')
  ? process.argv[process.argv.indexOf('--fail') + 1]
  : undefined;
const [failStage, failMode = mode] = (failArg ?? '').split(':');
const failAt = failArg && failMode === mode ? failStage : undefined;
const failCode = process.argv.includes('--exit-code')
  ? Number(process.argv[process.argv.indexOf('--exit-code') + 1])
  : 1;

async function report(status, statusData) {
  const res = await fetch(`${governor}/executeAction`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify({
      action: 'init_create_status_update',
      data: { block_id: blockId, status, status_data: statusData },
    }),
  });
  if (!res.ok) throw new Error(`status update ${status} answered ${res.status}: ${await res.text()}`);
}

const stages = {
  begin: () => ({ message: `preparing to ${mode} the inference server of ${blockId}` }),
  main: () => ({ message: mode === 'create' ? 'installed' : 'uninstalled' }),
  finish: () =>
    mode === 'create'
      ? {
          inference_url: `http://${blockId}.inference.local:8000/v1`,
          metrics_url: `http://${blockId}.inference.local:8000/metrics`,
        }
      : { message: 'removed' },
};

for (const [stage, run] of Object.entries(stages)) {
  if (stage === failAt) {
    console.error(`init container: ${stage} failed (${mode})`);
    await report('failed', { stage, operating_mode: mode, message: `${stage} failed` });
    process.exit(failCode);
  }
  await report(stage, { operating_mode: mode, ...run() });
  console.log(`init container: ${stage} done (${mode})`);
}
