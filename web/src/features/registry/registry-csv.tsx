// 导出 CSV / 导入 CSV for one list: the export is the server's file as it is; an import is checked whole by
// the server, and a refused file shows every bad row (line, column, why) with a retry that skips them.
import { Alert, Button, Modal, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useSession } from '../../auth/session-context';
import { useLocale, useT } from '../../i18n/i18n';
import { ApiErrorAlert } from './registry-widgets';
import {
  exportUrl,
  importCsv,
  importProblemsOf,
  type ImportProblem,
  type ImportReport,
  type PartyKind,
} from './registry-write';

export function CsvButtons({ kind, onImported }: { kind: PartyKind; onImported: () => void }) {
  const t = useT();
  const { api } = useSession();
  const { locale } = useLocale();
  const [open, setOpen] = useState(false);
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<ImportProblem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [report, setReport] = useState<ImportReport | null>(null);

  const reset = () => {
    setFile(null);
    setProblems(null);
    setError(null);
    setReport(null);
  };

  const run = async (skipBadRows: boolean) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const r = await importCsv(api, kind, file.text, skipBadRows, locale);
      setReport(r);
      setProblems(r.problems.length > 0 ? r.problems : null);
      onImported();
    } catch (e) {
      const p = importProblemsOf(e);
      if (p) setProblems(p);
      else setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button href={exportUrl(kind)} download={`${kind}.csv`} data-testid="csv-export">
        {t('registry.csv.export')}
      </Button>
      <Button
        onClick={() => {
          reset();
          setOpen(true);
        }}
        data-testid="csv-import"
      >
        {t('registry.csv.import')}
      </Button>
      <Modal
        open={open}
        width={760}
        title={t('registry.csv.importTitle')}
        onCancel={() => setOpen(false)}
        destroyOnHidden
        footer={
          <Space>
            <Button onClick={() => setOpen(false)} data-testid="csv-close">
              {t('registry.edit.close')}
            </Button>
            {problems && !report ? (
              <Button danger loading={busy} onClick={() => void run(true)} data-testid="csv-skip-bad">
                {t('registry.csv.skipBadRows')}
              </Button>
            ) : null}
            <Button
              type="primary"
              disabled={!file || report !== null}
              loading={busy}
              onClick={() => void run(false)}
              data-testid="csv-submit"
            >
              {t('registry.csv.submit')}
            </Button>
          </Space>
        }
      >
        <Space orientation="vertical" style={{ width: '100%' }} data-testid="csv-import-modal">
          <Typography.Text type="secondary">{t('registry.csv.hint')}</Typography.Text>
          <Upload
            accept=".csv,text/csv"
            maxCount={1}
            showUploadList={false}
            beforeUpload={async (f) => {
              reset();
              setFile({ name: f.name, text: await f.text() });
              return false;
            }}
          >
            <Button data-testid="csv-choose">{t('registry.csv.choose')}</Button>
          </Upload>
          {file ? (
            <Typography.Text data-testid="csv-file-name">
              {file.name} ·{' '}
              {t('registry.csv.lines', {
                count: file.text.split(/\r?\n/).filter((l) => l.trim() !== '').length - 1,
              })}
            </Typography.Text>
          ) : null}
          {error ? <ApiErrorAlert error={error} /> : null}
          {report ? (
            <Alert
              type="success"
              showIcon
              data-testid="csv-result"
              title={t('registry.csv.imported', { count: report.imported })}
              description={
                report.skippedLines.length > 0
                  ? t('registry.csv.skipped', { lines: report.skippedLines.join(', ') })
                  : undefined
              }
            />
          ) : problems ? (
            <Alert
              type="error"
              showIcon
              data-testid="csv-refused"
              title={t('registry.csv.refused', { count: problems.length })}
              description={t('registry.csv.refusedHint')}
            />
          ) : null}
          {problems ? (
            <Table<ImportProblem>
              size="small"
              rowKey={(p) => `${p.line}:${p.field}:${p.key}`}
              dataSource={problems}
              pagination={false}
              scroll={{ y: 280 }}
              data-testid="csv-problems"
              columns={[
                {
                  title: t('registry.csv.line'),
                  dataIndex: 'line',
                  width: 70,
                  render: (v: number) => <span data-testid="csv-problem-line">{v}</span>,
                },
                {
                  title: t('registry.csv.field'),
                  dataIndex: 'field',
                  width: 160,
                  render: (v: string) => <code>{v}</code>,
                },
                { title: t('registry.csv.message'), dataIndex: 'message' },
              ]}
            />
          ) : null}
        </Space>
      </Modal>
    </>
  );
}
