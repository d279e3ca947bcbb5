import { Spin } from 'antd';

/** Shown while a lazily loaded page's chunk arrives. */
export function PageSpin() {
  return (
    <div style={{ padding: 48, textAlign: 'center' }} data-testid="page-loading">
      <Spin />
    </div>
  );
}
