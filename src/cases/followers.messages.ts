import type { MessageCatalogue } from '../platform/http/messages.js';

/** Texts of the refusals of following a case; phoneInvalid and fieldTooLong are the registry's. */
export const followerMessages: MessageCatalogue = {
  followCaseNotActive: {
    'zh-CN': '只能关注正在办理的案件（当前状态 {status}）',
    en: 'Only a case in progress can be followed (status {status})',
  },
};
