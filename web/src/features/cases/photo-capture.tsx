import { CameraOutlined, DeleteOutlined } from '@ant-design/icons';
import { Alert, Button, Image, Space, Spin, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useT } from '../../i18n/i18n';
import { describeError } from '../../shell/describe-error';
import { uploadPhoto, type Photo } from '../intake/intake-api';
import { useWriteContext } from '../intake/intake-hooks';
import { useCasesT } from './cases-i18n';

/**
 * Photos for a move or a document: a file input that opens the phone's camera (capture=environment), each
 * photo uploaded at once to POST /api/photos, where the server hashes the original as received; the
 * SHA-256 it answers is shown under the thumbnail, so the officer sees what was fixed as evidence.
 */
export function PhotoCapture({
  value,
  onChange,
  testId = 'photo-capture',
}: {
  value: readonly Photo[];
  onChange: (photos: Photo[]) => void;
  testId?: string;
}) {
  const t = useCasesT();
  const tApp = useT();
  const writeContext = useWriteContext();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const latest = useRef(value);
  latest.current = value;

  const upload = async (files: FileList | null) => {
    if (!files || files.length === 0) return;
    setBusy(true);
    setError(null);
    try {
      for (const file of Array.from(files)) {
        const photo = await uploadPhoto(await writeContext(), file, file.name || 'photo.jpg');
        latest.current = [...latest.current, photo];
        onChange([...latest.current]);
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };

  return (
    <div className="og-case-photos" data-testid={testId} data-count={value.length}>
      <input
        ref={input}
        type="file"
        accept="image/*"
        capture="environment"
        multiple
        // Not `hidden`: the mobile stylesheet gives inputs a display of their own.
        style={{ display: 'none' }}
        onChange={(e) => void upload(e.target.files)}
        data-testid={`${testId}-input`}
      />
      <Button icon={<CameraOutlined />} onClick={() => input.current?.click()} disabled={busy}>
        {busy ? t('photos.uploading') : t('photos.take')}
      </Button>
      {busy ? <Spin size="small" style={{ marginLeft: 8 }} /> : null}
      {error ? (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 8 }}
          title={t('photos.failed', { error: describeError(tApp, error) })}
        />
      ) : null}
      {value.length > 0 ? (
        <div className="og-case-photo-list">
          {value.map((p) => (
            <div key={p.id} className="og-case-photo" data-testid="captured-photo" data-sha256={p.sha256}>
              <Image src={p.thumbUrl} width={96} height={72} preview={{ src: p.servedUrl }} />
              <div className="og-case-photo-meta">
                <Typography.Text type="secondary" className="og-small">
                  {t('photos.hash')}
                </Typography.Text>
                <Typography.Text code className="og-case-hash" data-testid="captured-photo-hash">
                  {p.sha256}
                </Typography.Text>
                <Space>
                  <Button
                    size="small"
                    type="link"
                    danger
                    icon={<DeleteOutlined />}
                    onClick={() => onChange(value.filter((x) => x.id !== p.id))}
                  >
                    {t('photos.remove')}
                  </Button>
                </Space>
              </div>
            </div>
          ))}
        </div>
      ) : null}
    </div>
  );
}
