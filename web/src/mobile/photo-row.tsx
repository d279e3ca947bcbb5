// The photos of a phone form (the resident's report, a patrol finding, the dual report and its dissuasion
// record): thumbnails of what is uploaded, a slot per upload in progress or failed, add and remove. Each
// photo is uploaded as it is picked; the form sends the ids of those done (donePhotoIds).
import { CameraOutlined, DeleteOutlined, LoadingOutlined } from '@ant-design/icons';
import { Button, Typography } from 'antd';
import { useRef } from 'react';
import {
  newIdempotencyKey,
  PHOTOS_MAX,
  photoThumbUrl,
  uploadPhoto,
  type Photo,
} from '../features/intake/intake-api';
import { useWriteContext } from '../features/intake/intake-hooks';
import { useT } from '../i18n/i18n';
import { describeError } from '../shell/describe-error';

export interface PhotoSlot {
  key: string;
  name: string;
  status: 'uploading' | 'done' | 'error';
  photo?: Photo;
  error?: string;
}

/** The ids of the photos uploaded, in the order picked. */
export const donePhotoIds = (slots: readonly PhotoSlot[]): string[] =>
  slots.flatMap((p) => (p.status === 'done' && p.photo ? [p.photo.id] : []));

/** Test ids: `${testId}-list`, `-slot`, `-thumb`, `-add`, `-input`. */
export function PhotoRow({
  slots,
  setSlots,
  testId,
  onChange,
}: {
  slots: PhotoSlot[];
  setSlots: (update: (list: PhotoSlot[]) => PhotoSlot[]) => void;
  testId: string;
  /** Called when a photo is picked (a form clears its error on the field). */
  onChange: () => void;
}) {
  const t = useT();
  const writeContext = useWriteContext();
  const fileRef = useRef<HTMLInputElement>(null);
  const add = async (file: File) => {
    const key = newIdempotencyKey();
    setSlots((list) => [...list, { key, name: file.name, status: 'uploading' }]);
    onChange();
    try {
      const photo = await uploadPhoto(await writeContext(), file, file.name || 'photo.jpg');
      setSlots((list) => list.map((p) => (p.key === key ? { ...p, status: 'done', photo } : p)));
    } catch (e) {
      setSlots((list) =>
        list.map((p) => (p.key === key ? { ...p, status: 'error', error: describeError(t, e) } : p)),
      );
    }
  };
  return (
    <>
      <div className="og-m-photos" data-testid={`${testId}-list`}>
        {slots.map((p) => (
          <div key={p.key} className="og-m-photo" data-testid={`${testId}-slot`} data-status={p.status}>
            {p.status === 'done' && p.photo ? (
              <img src={photoThumbUrl(p.photo.id)} alt={p.name} data-testid={`${testId}-thumb`} />
            ) : p.status === 'uploading' ? (
              <div className="og-m-photo-state">
                <LoadingOutlined />
                <span>{t('intake.form.photoUploading')}</span>
              </div>
            ) : (
              <div className="og-m-photo-state og-m-photo-error" title={p.error}>
                {t('intake.form.photoFailed', { message: p.error ?? '' })}
              </div>
            )}
            {p.status !== 'uploading' ? (
              <Button
                size="small"
                shape="circle"
                icon={<DeleteOutlined />}
                className="og-m-photo-remove"
                aria-label={t('intake.form.removePhoto')}
                onClick={() => setSlots((list) => list.filter((x) => x.key !== p.key))}
              />
            ) : null}
          </div>
        ))}
        {slots.length < PHOTOS_MAX ? (
          <button
            type="button"
            className="og-m-photo-add"
            onClick={() => fileRef.current?.click()}
            data-testid={`${testId}-add`}
          >
            <CameraOutlined />
            <span>{t('intake.form.addPhoto')}</span>
          </button>
        ) : (
          <Typography.Text type="secondary">
            {t('intake.form.photoLimit', { max: PHOTOS_MAX })}
          </Typography.Text>
        )}
      </div>
      <input
        ref={fileRef}
        type="file"
        accept="image/*"
        capture="environment"
        style={{ display: 'none' }}
        data-testid={`${testId}-input`}
        onChange={(e) => {
          const files = [...(e.target.files ?? [])].slice(0, PHOTOS_MAX - slots.length);
          e.target.value = '';
          for (const f of files) void add(f);
        }}
      />
    </>
  );
}
