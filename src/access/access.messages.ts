import type { MessageCatalogue } from '../platform/http/messages.js';

export const accessMessages: MessageCatalogue = {
  badCredentials: { 'zh-CN': '用户名或密码错误', en: 'Wrong username or password' },
  badApiKey: { 'zh-CN': 'API 密钥无效或已吊销', en: 'The API key is invalid or revoked' },
  usernameFormat: {
    'zh-CN': '用户名须以小写字母开头，3–40 位小写字母、数字或 _ . -',
    en: 'A username starts with a lower-case letter and has 3-40 lower-case letters, digits or _ . -',
  },
  usernameTaken: { 'zh-CN': '用户名已被使用', en: 'That username is taken' },
  passwordTooShort: { 'zh-CN': '密码至少 10 位', en: 'The password must have at least 10 characters' },
  passwordTooLong: { 'zh-CN': '密码过长', en: 'The password is too long' },
  passwordTooWeak: { 'zh-CN': '密码须同时包含字母和数字', en: 'The password must contain letters and digits' },
  unknownPermission: { 'zh-CN': '未知权限：{values}', en: 'Unknown permissions: {values}' },
  noPermissions: { 'zh-CN': '至少授予一项权限', en: 'Grant at least one permission' },
  permissionBeyondOwn: { 'zh-CN': '不能授予自己没有的权限：{permissions}', en: 'You cannot grant permissions you do not hold: {permissions}' },
  alreadyRevoked: { 'zh-CN': '该密钥已吊销', en: 'That key is already revoked' },
  orgUnitHasDependents: {
    'zh-CN': '该单位下仍有 {units} 个启用的下级单位和 {users} 名启用的用户，不能停用',
    en: 'The unit still has {units} active units below it and {users} active users; it cannot be deactivated',
  },
  orgUnitEditedViaParty: { 'zh-CN': '物业公司和职能部门的单位请在其档案中修改', en: 'Edit a property company’s or department’s unit through its own record' },
  csvRejected: { 'zh-CN': 'CSV 中有 {rows} 行有问题，未导入任何记录', en: 'The CSV has problems in {rows} rows; nothing was imported' },
  orgUnitParentKind: { 'zh-CN': '{kind} 不能设在 {parentKind} 之下', en: 'A {kind} cannot sit under a {parentKind}' },
};
