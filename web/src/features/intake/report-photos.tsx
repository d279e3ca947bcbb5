import { Image, Space, Tooltip, Typography } from 'antd';
import { useT } from '../../i18n/i18n';
import type { Photo } from './intake-api';

/**
 * A report's photos as thumbnails (the server's small WebP); a click opens the served copy (upright, without
 * EXIF or GPS) in antd's viewer, which pages through all of them. Under each, the original's SHA-256: the
 * evidence a dispatcher may be asked to quote.
 */
export function ReportPhotos({ photos }: { photos: readonly Photo[] }) {
  const t = useT();
  if (photos.length === 0)
    return (
      <Typography.Text type="secondary" data-testid="photos-none">
        {t('intake.detail.photosNone')}
      </Typography.Text>
    );
  return (
    <div className="og-report-photos" data-testid="report-photos" data-count={photos.length}>
      <Image.PreviewGroup>
        {photos.map((p, i) => (
          <figure key={p.id} className="og-report-photo" data-testid="report-photo" data-photo-id={p.id}>
            <Image
              src={p.thumbUrl}
              alt={t('intake.detail.photoAlt', { n: i + 1 })}
              width={136}
              height={102}
              preview={{ src: p.servedUrl }}
              className="og-report-photo-thumb"
              data-testid="report-photo-thumb"
            />
            <figcaption className="og-small">
              <Space size={4} orientation="vertical">
                {p.width && p.height ? (
                  <span>
                    {p.width}×{p.height}
                  </span>
                ) : null}
                <Tooltip title={`${t('intake.detail.photoHash')}: ${p.sha256}`}>
                  <Typography.Text
                    className="og-small"
                    copyable={{ text: p.sha256 }}
                    data-testid="report-photo-hash"
                  >
                    SHA-256 {p.sha256.slice(0, 8)}…
                  </Typography.Text>
                </Tooltip>
              </Space>
            </figcaption>
          </figure>
        ))}
      </Image.PreviewGroup>
    </div>
  );
}
