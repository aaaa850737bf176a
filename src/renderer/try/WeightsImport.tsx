/**
 * Import weights… for the current network: safetensors (our export, or PyTorch's save_file of this
 * network's state_dict) or our JSON weights. The engine checks every tensor against the network and lists
 * each missing key or wrong shape with what the network expects. The weights become a run of their own,
 * "Imported from NAME", which the caller selects.
 */
import { useEffect, useRef, useState } from 'react';
import type { EngineClient } from '../engine-client/engine-client';
import { EngineRequestError, requestEngine } from '../project/engine-request';
import { useWeightsImportRequest } from './weights-import-request';

type ImportState =
  | { state: 'none' }
  | { state: 'importing'; fileName: string }
  | { state: 'done'; fileName: string; tensors: number }
  | { state: 'failed'; message: string; hint: string };

export function WeightsImport({ engine, onImported }: { engine: EngineClient; onImported(runId: number): void }) {
  const input = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState<ImportState>({ state: 'none' });
  const requests = useWeightsImportRequest((state) => state.requests);
  useEffect(() => {
    if (requests > 0) input.current?.click();
  }, [requests]);
  const importFile = async (file: File) => {
    setStatus({ state: 'importing', fileName: file.name });
    try {
      const data = await file.arrayBuffer();
      const event = await requestEngine(
        engine,
        { type: 'import-weights', fileName: file.name, data },
        'weights-imported',
      );
      setStatus({ state: 'done', fileName: file.name, tensors: event.tensors });
      onImported(event.run.runId);
    } catch (error) {
      const hint = error instanceof EngineRequestError ? error.hint : '';
      setStatus({ state: 'failed', message: (error as Error).message, hint });
    }
  };
  return (
    <div className="weights-import">
      <button
        type="button"
        className="button"
        onClick={() => input.current?.click()}
        disabled={status.state === 'importing'}
      >
        Import weights…
      </button>
      <input
        ref={input}
        type="file"
        accept=".safetensors,.json"
        hidden
        data-testid="weights-file"
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = '';
          if (file) void importFile(file);
        }}
      />
      {status.state === 'done' ? (
        <span className="weights-import__note" role="status">
          Using {status.fileName} ({status.tensors} tensors)
        </span>
      ) : null}
      {status.state === 'failed' ? <ImportProblem message={status.message} hint={status.hint} /> : null}
    </div>
  );
}

/**
 * The engine says "FILE: KEY: problem; KEY: problem; advice": each tensor's problem becomes a list item,
 * so a long mismatch reads line by line.
 */
function ImportProblem({ message, hint }: { message: string; hint: string }) {
  const parts = message.split('; ');
  const tensorProblem = /^[\w.]+: (missing|the file has|the network)/;
  const first = parts[0].match(/^(.*?): ([\w.]+: .*)$/);
  if (first && tensorProblem.test(first[2])) parts[0] = first[2];
  const tensors = parts.filter((part) => tensorProblem.test(part));
  const other = parts.filter((part) => !tensorProblem.test(part));
  return (
    <div className="try-problem" role="alert" data-testid="weights-problem">
      <p className="try-problem__title">
        {tensors.length > 0 && first ? `${first[1]} does not fit this network:` : other.join('; ')}
      </p>
      {tensors.length > 0 ? (
        <ul className="try-problem__list">
          {tensors.map((item) => (
            <li key={item}>{item}</li>
          ))}
        </ul>
      ) : null}
      <p className="try-problem__hint">{tensors.length > 0 && first ? other.join('; ') : hint}</p>
    </div>
  );
}
