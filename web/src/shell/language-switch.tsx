import { Segmented } from 'antd';
import { useLocale, useT } from '../i18n/i18n';
import { isLocale } from '../i18n/messages';

/** 中文 / English; the choice is remembered in localStorage. */
export function LanguageSwitch({ size = 'small' }: { size?: 'small' | 'middle' }) {
  const { locale, setLocale } = useLocale();
  const t = useT();
  return (
    <Segmented
      size={size}
      aria-label={t('language.label')}
      data-testid="lang-switch"
      value={locale}
      onChange={(value) => {
        if (isLocale(value)) setLocale(value);
      }}
      options={[
        { value: 'zh-CN', label: <span data-testid="lang-zh-CN">{t('language.zhCN')}</span> },
        { value: 'en', label: <span data-testid="lang-en">{t('language.en')}</span> },
      ]}
    />
  );
}
