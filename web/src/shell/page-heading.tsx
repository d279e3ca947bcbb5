import { Typography } from 'antd';

/** The title row of every console page. */
export function PageHeading({ title, description }: { title: string; description?: string }) {
  return (
    <div className="og-page-heading">
      <Typography.Title level={4} style={{ margin: 0 }} data-testid="page-title">
        {title}
      </Typography.Title>
      {description ? (
        <Typography.Paragraph type="secondary" style={{ margin: '4px 0 0' }}>
          {description}
        </Typography.Paragraph>
      ) : null}
    </div>
  );
}
