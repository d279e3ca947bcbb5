// Simplified-Chinese strings: the console's first language. Keys are the identifiers the code uses
// (shared/mission/GLOSSARY.md); en.ts must carry exactly the same keys, which its type enforces.
export const zhCN = {
  app: {
    title: 'OneGrid 城管一网统管',
    shortTitle: 'OneGrid',
    subtitle: '区城管执法局 · 社区工作站',
  },
  common: {
    loading: '加载中…',
    retry: '重试',
    open: '进入',
    backHome: '返回工作台',
  },
  language: {
    label: '语言',
    zhCN: '中文',
    en: 'English',
  },
  auth: {
    title: '工作人员登录',
    username: '用户名',
    password: '密码',
    usernameRequired: '请输入用户名',
    passwordRequired: '请输入密码',
    submit: '登录',
    logout: '退出登录',
    notice: '仅限授权工作人员使用，所有操作均记入审计日志。',
  },
  nav: {
    home: '工作台',
    capabilities: '业务功能',
    collapse: '收起菜单',
    expand: '展开菜单',
  },
  roles: {
    bureauLeader: '局领导',
    bureauStaff: '局机关人员',
    squadLeader: '中队值班长',
    dispatcher: '受理派遣员',
    officer: '执法队员',
    workstationStaff: '工作站人员',
    departmentLiaison: '部门联络员',
    propertyCompany: '物业公司',
    resident: '居民 / 商户',
  },
  unitKinds: {
    bureau: '区城管执法局',
    subdistrict: '街道 / 镇',
    squad: '综合行政执法队',
    workstation: '城管社区工作站',
    sector: '片区',
    community: '居村委',
    compound: '小区',
    department: '职能部门',
    propertyCompany: '物业公司',
    ownersCommittee: '业委会',
  },
  capabilities: {
    registry: {
      title: '基础数据库',
      description:
        '组织单元（局、街镇、中队、工作站、片区、居村委）、小区、物业公司、业委会、职能部门与联络人、商户和人员；从 GeoJSON 导入网格图层并校验；GB/T 47678.5 问题类别及本地扩展。',
    },
    intake: {
      title: '问题受理',
      description:
        '受理居民、物业公司（双报告）、巡查、网格员、12345 批量和 Open311 客户端的上报；照片及其哈希；三种坐标系下的精确或大致位置；幂等提交，重试不会重复生成上报。',
    },
    routing: {
      title: '派遣规则',
      description:
        '多格合一；按问题类别 × 区域的责任规则确定主办和协办单位；规则未覆盖的上报进入人工分拣队列。',
    },
    cases: {
      title: '案件办理',
      description:
        '数字城管七步闭环（采集、立案、派遣、处置、反馈、核查结案、评价），含返工、延期、挂起和退回；执法办案程序；按工作日历计算法定时限；提醒与督办；重复上报并案。',
    },
    matching: {
      title: '双报告与比对',
      description:
        '每份双报告生成两份回执；比对各渠道对同一地点的上报；按渠道、小区和物业公司统计发现率和及时性；列出各物业公司漏报的问题。',
    },
    linkage: {
      title: '管执联动',
      description:
        '案件移送（回执与时限）、执法协助、跨部门数据协查、双向告知、联络人、联席会议纪要与事项跟踪、情况通报。',
    },
    community: {
      title: '城管进社区',
      description:
        '人民建议征集与答复、民意征集、治理会商、普法宣传与主题活动、志愿服务时长、服务点及使用、走出去与迎进来。',
    },
    insight: {
      title: '绩效分析',
      description:
        '考核指标（投诉同比、满意度、发现率等），按单位、区域、类别和时段统计；图表和地图看板；Excel 导出；由数据生成月度通报。',
    },
    access: {
      title: '权限与审计',
      description:
        '按组织单元限定的角色；所有变更写入只追加、哈希链接的审计日志并可校验；个人信息最小化和脱敏；上报人身份按需可见；证据文件采集即留存哈希。',
    },
    interfaces: {
      title: '接口与文档',
      description:
        '工作人员网页控制台（中文优先，兼有英文）和面向上报人、执法队员的手机页面；以 OpenAPI 描述的 JSON HTTP 接口；Open311 GeoReport v2；命令行工具。',
    },
  },
  notBuilt: {
    title: '本功能尚未建成',
    subtitle: '「{capability}」页面尚在建设中，目前没有可显示的数据。',
    plannedScope: '计划范围',
  },
  notFound: {
    title: '页面不存在',
    subtitle: '您访问的地址没有对应的页面。',
  },
  home: {
    greeting: '您好，{name}',
    profile: '当前账号',
    displayName: '姓名',
    username: '用户名',
    role: '角色',
    unit: '所属单位',
    unitCode: '单位代码',
    unitKind: '单位类型',
    permissions: '权限',
    noPermissions: '无',
    capabilities: '业务功能',
    statusNotBuilt: '尚未建成',
    statusPartial: '部分可用',
  },
  interfaces: {
    apiDocsTitle: 'HTTP 接口文档',
    apiDocsDescription: '本系统的 JSON HTTP 接口以 OpenAPI 描述，可在浏览器中查阅和试用。',
    openApiDocs: '打开接口文档',
    remaining: '手机页面、Open311 GeoReport v2 和命令行说明尚未建成。',
  },
  errors: {
    Unauthenticated: '未登录或登录已过期，请重新登录。',
    RateLimited: '尝试次数过多，请稍后再试。',
    Forbidden: '没有权限执行此操作。',
    NetworkError: '无法连接服务器，请检查网络后重试。',
    BadResponse: '服务器返回了无法识别的响应。',
    unknown: '操作失败，请稍后再试。',
  },
};
