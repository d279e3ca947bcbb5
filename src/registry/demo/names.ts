/**
 * Name material for the demo district: rough real positions of Minhang's subdistricts (so the generated
 * layout resembles the real one: 华漕 north-west, 浦江 across the Huangpu, 江川路 in the south …), road
 * names in the style of each area, and pools for compound, company, shop and person names. Positions
 * and roads are approximate and only steer the generator; nothing here is an official boundary.
 */

/** Approximate WGS-84 positions of the Minhang subdistricts, by 9-digit code. */
export const MINHANG_ANCHORS: Readonly<Record<string, readonly [number, number]>> = {
  '310112001': [121.395, 31.012], // 江川路街道: the old Minhang town by the river
  '310112006': [121.4, 31.148], // 古美街道
  '310112008': [121.308, 31.19], // 新虹街道: the Hongqiao hub
  '310112009': [121.505, 31.108], // 浦锦街道: north of the river bend, east bank
  '310112101': [121.37, 31.11], // 莘庄镇
  '310112102': [121.345, 31.158], // 七宝镇
  '310112103': [121.405, 31.065], // 颛桥镇
  '310112106': [121.285, 31.222], // 华漕镇
  '310112107': [121.385, 31.185], // 虹桥镇
  '310112108': [121.44, 31.118], // 梅陇镇
  '310112110': [121.455, 31.045], // 吴泾镇
  '310112112': [121.345, 31.03], // 马桥镇
  '310112114': [121.53, 31.065], // 浦江镇
  '310112501': [121.315, 31.08], // 莘庄工业区
};

/** Road names typical of each Minhang subdistrict (streets are placed, not traced). */
export const MINHANG_ROADS: Readonly<Record<string, readonly string[]>> = {
  '310112001': ['江川路', '沧源路', '鹤庆路', '华宁路', '兰坪路', '东川路', '瑞丽路', '碧江路', '昆阳路'],
  '310112006': ['古美路', '平南路', '平阳路', '古龙路', '万源路', '顾戴路', '平吉路', '宜山路'],
  '310112008': ['申长路', '申滨路', '扬虹路', '航东路', '天山西路', '润虹路', '申虹路'],
  '310112009': ['浦锦路', '浦星公路', '浦秀路', '丰南路', '浦驰路', '林展路', '江桦路'],
  '310112101': ['莘松路', '莘建路', '莘朱路', '沁春路', '都市路', '莘东路', '水清路', '疏影路', '报春路'],
  '310112102': ['漕宝路', '七莘路', '新镇路', '农南路', '吴宝路', '中春路', '宝南路', '七宝南路'],
  '310112103': ['颛兴路', '北松公路', '沪闵路', '银都路', '光华路', '双柏路', '颛盛路', '北桥路'],
  '310112106': ['华漕路', '北翟路', '纪翟路', '金光路', '诸光路', '华翔路', '繁兴路'],
  '310112107': ['虹井路', '吴中路', '虹梅路', '红松路', '龙柏路', '虹泉路', '金汇路', '合川路'],
  '310112108': ['梅陇路', '虹梅南路', '莲花南路', '罗阳路', '华梅路', '朱梅路', '曹行路', '春申路', '景联路'],
  '310112110': ['龙吴路', '剑川路', '永德路', '紫星路', '尚义路', '华宁路', '吴泾路'],
  '310112112': ['元江路', '银春路', '俞塘路', '马桥路', '友东路', '北松公路', '彭渡路'],
  '310112114': ['江月路', '陈行公路', '联航路', '召楼路', '沈杜公路', '浦申路', '三鲁公路', '浦江路'],
  '310112501': ['申富路', '金都路', '春东路', '申旺路', '光中路', '元江路', '中春路'],
};

/** Syllables for invented road and place names, when a district has no road list. */
export const NAME_SYLLABLES = ['春', '华', '景', '锦', '瑞', '嘉', '丰', '宁', '泰', '安', '永', '庆', '兴', '和', '平', '新', '明', '康', '德', '盛', '荣', '翔', '祥', '富'];

/** Endings of compound names (小区 names in Shanghai): <place>+<ending>. */
export const COMPOUND_SUFFIXES = ['苑', '花园', '新村', '公寓', '小区', '家园', '佳苑', '雅苑', '华庭', '名邸', '景苑', '新苑', '花苑', '丽都'];

/** Suffix recognised as already naming a compound (a 居委 is often named after its compound). */
export const COMPOUND_NAME_ENDING = /(苑|园|花园|新村|公寓|小区|家园|城|邸|庭|都|府|湾|墅|寰宇|景城|宜家苑)$/;

/** First parts of property-company names (invented, not real firms). */
export const COMPANY_HEADS = ['莘', '闵', '申', '梅', '虹', '春', '锦', '华', '浦', '嘉', '瑞', '丰', '盛', '泰', '鑫', '恒', '永', '佳', '德', '新', '宝', '汇', '明', '东', '景', '和'];
export const COMPANY_TAILS = ['城', '苑', '华', '安', '嘉', '悦', '成', '达', '信', '联', '港', '源', '宇', '通', '福', '祥', '润', '诚', '航', '凯'];

/** Shop name parts: a name and a trade. */
export const SHOP_NAMES = ['老王', '阿英', '好运来', '鑫隆', '佳佳', '小杨', '金满堂', '悦来', '百味', '永兴', '顺心', '福满', '红星', '丰收', '家家乐', '宏发', '兴旺', '阿娟', '老街', '味道', '好邻', '快乐', '四季', '新生活', '小林', '大福', '鸿运', '美家', '乐购', '丽人'];
export const SHOP_TRADES: readonly { trade: string; kind: string }[] = [
  { trade: '面馆', kind: 'food' },
  { trade: '生煎馆', kind: 'food' },
  { trade: '小吃店', kind: 'food' },
  { trade: '早餐店', kind: 'food' },
  { trade: '菜馆', kind: 'food' },
  { trade: '蛋糕房', kind: 'food' },
  { trade: '茶饮', kind: 'food' },
  { trade: '便利店', kind: 'retail' },
  { trade: '水果店', kind: 'retail' },
  { trade: '烟杂店', kind: 'retail' },
  { trade: '超市', kind: 'retail' },
  { trade: '五金店', kind: 'retail' },
  { trade: '花店', kind: 'retail' },
  { trade: '眼镜店', kind: 'retail' },
  { trade: '药房', kind: 'retail' },
  { trade: '美发', kind: 'service' },
  { trade: '干洗店', kind: 'service' },
  { trade: '修车铺', kind: 'service' },
  { trade: '宠物店', kind: 'service' },
  { trade: '快印店', kind: 'service' },
];

/** Common surnames and given-name characters, for liaison persons. */
export const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '朱', '马', '胡', '郭', '林', '何', '高', '沈', '顾', '陆', '蒋', '钱'];
export const GIVEN_CHARS = ['伟', '芳', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀', '霞', '平', '刚', '华', '斌', '慧', '建', '颖', '晨', '琳', '浩'];

/** Extra station names per subdistrict for a second or third police station in one place. */
export const MINHANG_POLICE_PLACES: Readonly<Record<string, readonly string[]>> = {
  '310112001': ['江川', '北桥'],
  '310112006': ['古美路', '平阳'],
  '310112008': ['新虹', '虹桥枢纽'],
  '310112009': ['浦锦', '丰南'],
  '310112101': ['莘庄', '莘东', '春申'],
  '310112102': ['七宝', '航华', '九星'],
  '310112103': ['颛桥', '银都'],
  '310112106': ['华漕', '诸翟'],
  '310112107': ['虹桥', '龙柏', '田园'],
  '310112108': ['梅陇', '罗阳', '曹行'],
  '310112110': ['吴泾', '紫竹'],
  '310112112': ['马桥', '旗忠'],
  '310112114': ['浦江', '召稼楼', '陈行'],
  '310112501': ['莘庄工业区', '春东'],
};
