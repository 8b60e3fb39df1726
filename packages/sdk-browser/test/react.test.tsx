import { act, cleanup, render, screen } from '@testing-library/react';
import { renderToString } from 'react-dom/server';
import { hydrateRoot } from 'react-dom/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConfigChange } from '@switchyard/core';
import { createClient } from '../src';
import type { BrowserClient } from '../src';
import { SwitchyardProvider, useFlag, useFlagDetails, useVariant } from '../src/react';
import { booleanFlag, runningExperiment, sampleSnapshot } from './support/harness';

afterEach(() => {
  cleanup();
  document.body.innerHTML = '';
  vi.restoreAllMocks();
});

function snapshot() {
  const s = sampleSnapshot(1);
  s.flags.a = booleanFlag('a');
  s.flags.b = booleanFlag('b');
  s.flags.theme = {
    key: 'theme',
    salt: 'theme',
    type: 'json',
    enabled: true,
    variants: [{ key: 'dark', value: { color: 'black', size: 2 } }],
    defaultVariant: 'dark',
    rules: [],
  };
  return s;
}

function offlineClient(): BrowserClient {
  return createClient({ offline: true, persist: false, bootstrap: snapshot() });
}

/** Commits changes as the server's next version would. */
function push(client: BrowserClient, changes: ConfigChange[]): void {
  const from = client.snapshot!.version;
  act(() => {
    client.config.applyDelta({ type: 'delta', from, to: from + 1, changes });
  });
}

const renders: Record<string, number> = {};
const count = (name: string) => (renders[name] = (renders[name] ?? 0) + 1);

function Flag({ name }: { name: string }) {
  count(name);
  return <span data-testid={name}>{String(useFlag(name, false))}</span>;
}

function Theme() {
  count('theme');
  // A new default object at every render must not make React loop.
  const theme = useFlag('theme', { color: 'white', size: 1 });
  return <span data-testid="theme">{theme.color}</span>;
}

function Checkout() {
  count('checkout');
  const details = useFlagDetails('checkout', 'none');
  return <span data-testid="checkout">{`${details.value}:${details.reason}`}</span>;
}

function Variant() {
  count('variant');
  return <span data-testid="variant">{String(useVariant('exp1'))}</span>;
}

function App({ client, userId = 'u1' }: { client: BrowserClient; userId?: string }) {
  return (
    <SwitchyardProvider client={client} context={{ userId }}>
      <Flag name="a" />
      <Flag name="b" />
      <Theme />
      <Checkout />
      <Variant />
    </SwitchyardProvider>
  );
}

function resetRenders(): void {
  for (const k of Object.keys(renders)) delete renders[k];
}

describe('React hooks', () => {
  it('render the client’s values for the provider’s context', () => {
    const client = offlineClient();
    resetRenders();
    render(<App client={client} userId="u9" />);
    expect(screen.getByTestId('a').textContent).toBe('true');
    expect(screen.getByTestId('theme').textContent).toBe('black');
    const variant = client.getVariant('exp1', { userId: 'u9' });
    expect(screen.getByTestId('variant').textContent).toBe(variant);
    expect(screen.getByTestId('checkout').textContent).toBe(
      `${variant === 'treatment' ? 'new' : 'old'}:SPLIT`,
    );
  });

  it('re-render only the components reading a pushed change', () => {
    const client = offlineClient();
    resetRenders();
    render(<App client={client} />);
    expect(renders).toEqual({ a: 1, b: 1, theme: 1, checkout: 1, variant: 1 });

    push(client, [{ kind: 'flag', key: 'a', value: booleanFlag('a', false) }]);
    expect(screen.getByTestId('a').textContent).toBe('false');
    expect(renders).toEqual({ a: 2, b: 1, theme: 1, checkout: 1, variant: 1 });

    // An experiment change reaches its readers and the flags that delegate to it.
    const winner =
      client.getVariant('exp1', { userId: 'u1' }) === 'treatment' ? 'control' : 'treatment';
    push(client, [
      {
        kind: 'experiment',
        key: 'exp1',
        value: { ...runningExperiment('exp1'), status: 'Concluded', winner },
      },
    ]);
    expect(screen.getByTestId('variant').textContent).toBe(winner);
    expect(screen.getByTestId('checkout').textContent).toBe(
      `${winner === 'treatment' ? 'new' : 'old'}:TARGETING_MATCH`,
    );
    expect(renders).toEqual({ a: 2, b: 1, theme: 1, checkout: 2, variant: 2 });
  });

  it('do not re-render when a change leaves the value as it was', () => {
    const client = offlineClient();
    resetRenders();
    render(<App client={client} />);
    push(client, [
      {
        kind: 'flag',
        key: 'b',
        value: { ...booleanFlag('b'), rules: [{ condition: { plan: 'x' }, variant: 'off' }] },
      },
      {
        kind: 'flag',
        key: 'theme',
        value: { ...snapshot().flags.theme!, salt: 'theme', enabled: true },
      },
    ]);
    expect(renders).toEqual({ a: 1, b: 1, theme: 1, checkout: 1, variant: 1 });
  });

  it('evaluate again for a context with other content, not for a new object with the same', () => {
    const client = offlineClient();
    const units = ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8'];
    const other = units.find(
      (u) =>
        client.getVariant('exp1', { userId: u }) !== client.getVariant('exp1', { userId: 'u1' }),
    )!;
    resetRenders();
    const { rerender } = render(<App client={client} userId="u1" />);
    rerender(<App client={client} userId="u1" />);
    rerender(<App client={client} userId={other} />);
    expect(screen.getByTestId('variant').textContent).toBe(
      client.getVariant('exp1', { userId: other }),
    );
  });

  it('throw a clear error outside a provider', () => {
    vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(() => render(<Flag name="a" />)).toThrow(
      /useFlag must be used inside a <SwitchyardProvider/,
    );
  });

  it('render on the server from the bootstrap config and hydrate without a mismatch', async () => {
    const server = offlineClient();
    const html = renderToString(<App client={server} userId="u3" />);
    expect(html).toContain('data-testid="a">true<');
    expect(server.pendingEvents).toBe(0);

    // The browser starts from the same config, then receives a change before it hydrates.
    const browser = offlineClient();
    push(browser, [{ kind: 'flag', key: 'b', value: booleanFlag('b', false) }]);
    const container = document.createElement('div');
    container.innerHTML = html;
    document.body.append(container);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const recoverable: unknown[] = [];
    await act(async () => {
      hydrateRoot(container, <App client={browser} userId="u3" />, {
        onRecoverableError: (error: unknown) => recoverable.push(error),
      });
    });
    expect(recoverable).toEqual([]);
    expect(errors).not.toHaveBeenCalled();
    // After hydration the browser shows its own, newer value.
    expect(container.querySelector('[data-testid="b"]')!.textContent).toBe('false');
  });
});
