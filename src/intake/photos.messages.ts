import type { MessageCatalogue } from '../platform/http/messages.js';

/** Messages of photo uploads' refusals; {placeholders} come from the error's details. */
export const photoMessages: MessageCatalogue = {
  photoType: {
    'zh-CN': '{field} 不是照片：只接受 JPEG、PNG、WebP 图片，收到的内容是 {detected}',
    en: '{field} is not a photo: only JPEG, PNG and WebP images are accepted, the content is {detected}',
  },
  photoCorrupt: {
    'zh-CN': '{field} 图片已损坏，无法解码',
    en: '{field} is a damaged image that cannot be decoded',
  },
  photoTooLarge: {
    'zh-CN': '{field} 文件过大（上限 {limit} 字节）',
    en: '{field} is too large (limit {limit} bytes)',
  },
  photoTooManyPixels: {
    'zh-CN': '{field} 像素过多（{width}×{height}，上限 {limit} 像素）',
    en: '{field} has too many pixels ({width}×{height}, limit {limit} pixels)',
  },
  photoNotMultipart: {
    'zh-CN': '上传照片须使用 multipart/form-data，收到的是 {contentType}',
    en: 'Upload photos as multipart/form-data; the request is {contentType}',
  },
  photoMultipart: {
    'zh-CN': 'multipart 请求体有误：{reason}',
    en: 'The multipart body is malformed: {reason}',
  },
  photoMissing: {
    'zh-CN': '请求中没有文件字段 {field}',
    en: 'The request has no file field {field}',
  },
  attachmentUnknown: {
    'zh-CN': '附件不存在或已关联到其他记录：{ids}',
    en: 'Attachments unknown or already linked elsewhere: {ids}',
  },
};
