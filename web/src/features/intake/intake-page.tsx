import { NotBuiltPage } from '../../shell/not-built-page';

/** Not built yet: the page says so and shows what it will do. */
export default function IntakePage() {
  return <NotBuiltPage capability="intake" />;
}
